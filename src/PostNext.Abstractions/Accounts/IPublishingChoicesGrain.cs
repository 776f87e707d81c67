namespace PostNext.Abstractions.Accounts;

/// <summary>
/// Asks an account's platform what its owner may choose for a post right now (TikTok's creator_info), so a post is
/// checked before it is stored. Stateless: every call asks the platform. Key: the account id.
/// </summary>
[Alias("PostNext.IPublishingChoicesGrain")]
public interface IPublishingChoicesGrain : IGrainWithStringKey
{
    /// <summary>The account's choices; neither choices nor a problem when its platform has nothing to check.</summary>
    [Alias("Read")]
    Task<PublishingChoicesResult> ReadAsync();
}

/// <summary>What a platform lets this account choose for a post (TikTok: creator_info).</summary>
[GenerateSerializer, Immutable, Alias("PostNext.PublishingChoices")]
public sealed record PublishingChoices(
    [property: Id(0)] IReadOnlyList<string> PrivacyLevels,
    [property: Id(1)] bool CommentDisabled,
    [property: Id(2)] bool DuetDisabled,
    [property: Id(3)] bool StitchDisabled,
    [property: Id(4)] int? MaxVideoDurationSeconds = null);

/// <summary>The choices, or why the platform could not be asked (a message safe to show: no token, no response body).</summary>
[GenerateSerializer, Immutable, Alias("PostNext.PublishingChoicesResult")]
public sealed record PublishingChoicesResult(
    [property: Id(0)] PublishingChoices? Choices,
    [property: Id(1)] string? Problem = null)
{
    public static readonly PublishingChoicesResult NothingToCheck = new(Choices: null);
}
