namespace PostNext.Content.Rules;

/// <summary>One reason a platform would refuse a post: a stable code, the offending field, and a message with the limit and the actual value.</summary>
public sealed record ContentViolation(string Code, string Field, string Message);

/// <summary>The stable <see cref="ContentViolation.Code"/> values; clients may switch on them.</summary>
public static class ContentViolationCodes
{
    public const string ContentEmpty = "content_empty";
    public const string TextRequired = "text_required";
    public const string TextTooLong = "text_too_long";
    public const string CommentTooLong = "comment_too_long";
    public const string TextInvalidCharacters = "text_invalid_characters";
    public const string DescriptionTooLong = "description_too_long";
    public const string TooManyHashtags = "too_many_hashtags";
    public const string TooManyMentions = "too_many_mentions";
    public const string TitleRequired = "title_required";
    public const string TitleTooLong = "title_too_long";
    public const string TitleInvalidCharacters = "title_invalid_characters";
    public const string MediaRequired = "media_required";
    public const string VideoRequired = "video_required";
    public const string TooManyMedia = "too_many_media";
    public const string TooManyImages = "too_many_images";
    public const string TooManyVideos = "too_many_videos";
    public const string MixedMedia = "mixed_media";
    public const string InvalidMediaUrl = "invalid_media_url";
    public const string MediaUnavailable = "media_unavailable";
    public const string MediaUnreadable = "media_unreadable";
    public const string MediaKindMismatch = "media_kind_mismatch";
    public const string MediaFormat = "media_format";
    public const string MediaTooLarge = "media_too_large";
    public const string MediaDimensions = "media_dimensions";
    public const string MediaAspectRatio = "media_aspect_ratio";
    public const string VideoTooShort = "video_too_short";
    public const string VideoTooLong = "video_too_long";
}
