using System.Globalization;
using System.Text.Json;
using System.Text.Json.Serialization;
using PostNext.Abstractions.Posts;

namespace PostNext.Grains.Posts.Publishing;

/// <summary>Where one part of a post's chain stands, as checkpointed.</summary>
public enum PartState
{
    /// <summary>The part's lease: persisted right before its platform call; until resolved, it is never sent again.</summary>
    Sending,

    /// <summary>Confirmed: the platform has it, with this id.</summary>
    Sent,

    /// <summary>Known not to have taken effect (refused, or reconciled as not there): it may be sent again.</summary>
    Unsent,
}

/// <summary>One part's checkpoint: its state, the attempt and time of its lease, its id, or why it did not take effect.</summary>
public sealed record PartCheckpoint(
    [property: JsonPropertyName("s")] PartState State,
    [property: JsonPropertyName("a")] string? AttemptId = null,
    [property: JsonPropertyName("at")] DateTimeOffset? At = null,
    [property: JsonPropertyName("id")] string? ExternalId = null,
    [property: JsonPropertyName("p")] string? Permalink = null,
    [property: JsonPropertyName("e")] string? Error = null);

/// <summary>
/// A post's chain (the post, then each thread reply or its first comment) kept in the publication's checkpoints, one
/// entry per part (<c>chain.{index}</c>, overwritten as the part moves on), so the state stays bounded by the parts.
/// </summary>
public static class ChainCheckpoints
{
    private const string Prefix = "chain.";

    /// <summary>A part's error message is kept at most this long.</summary>
    private const int MaxError = 300;

    private static readonly JsonSerializerOptions Json = new() { Converters = { new JsonStringEnumConverter() } };

    public static string Key(int index) => Prefix + index.ToString(CultureInfo.InvariantCulture);

    public static string Sending(string attemptId, DateTimeOffset at) => Write(new PartCheckpoint(PartState.Sending, attemptId, at));

    public static string Sent(PublishOutcome outcome) =>
        Write(new PartCheckpoint(PartState.Sent, null, outcome.PublishedAt, outcome.ExternalId, outcome.Permalink));

    public static string Unsent(string error) =>
        Write(new PartCheckpoint(PartState.Unsent, Error: error.Length <= MaxError ? error : error[..MaxError] + "…"));

    /// <summary>Part <paramref name="index"/>'s checkpoint, or null when it has none (never attempted).</summary>
    public static PartCheckpoint? Read(IReadOnlyDictionary<string, string>? checkpoints, int index)
    {
        if (checkpoints?.GetValueOrDefault(Key(index)) is not { } value)
        {
            return null;
        }

        try
        {
            return JsonSerializer.Deserialize<PartCheckpoint>(value, Json);
        }
        catch (JsonException)
        {
            return null;
        }
    }

    /// <summary>The post itself (part 0) as confirmed, once a chain recorded it.</summary>
    public static PublishOutcome? Post(IReadOnlyDictionary<string, string>? checkpoints) =>
        Read(checkpoints, 0) is { State: PartState.Sent, ExternalId: { } id } post
            ? PublishOutcome.Success(id, post.Permalink, post.At ?? DateTimeOffset.UnixEpoch)
            : null;

    /// <summary>
    /// The chain as shown: part 0 (the post) and each follow-up, with its id or why it is not there.
    /// Once the publication is over, a part never sent will not be, and one in doubt stays so.
    /// </summary>
    public static IReadOnlyList<PublicationPart>? View(string platform, PostContent content, IReadOnlyDictionary<string, string> checkpoints,
        PublicationStatus status, string? externalId, string? permalink)
    {
        var followUps = FollowUps.Of(platform, content);
        if (followUps.Count == 0)
        {
            return null;
        }

        var final = status.IsFinal();
        var post = Post(checkpoints);
        var parts = new List<PublicationPart>
        {
            status == PublicationStatus.Published || post is null
                ? new(0, "post", status == PublicationStatus.Published ? "published" : final ? "not_sent" : "pending", externalId, permalink, null)
                : new(0, "post", "published", post.ExternalId, post.Permalink, null),
        };
        foreach (var part in followUps)
        {
            var kind = part.Kind == FollowUpKind.Reply ? "reply" : "comment";
            parts.Add(Read(checkpoints, part.Index) switch
            {
                { State: PartState.Sent } sent => new(part.Index, kind, "published", sent.ExternalId, sent.Permalink, null),
                { State: PartState.Sending } => new(part.Index, kind, final ? "unconfirmed" : "publishing", null, null,
                    final ? "Sent, and the platform could not tell whether it arrived; it is not sent again. Check the post." : null),
                { State: PartState.Unsent, Error: var error } => new(part.Index, kind, final ? "failed" : "pending", null, null, error),
                _ => new(part.Index, kind, final ? "not_sent" : "pending", null, null, null),
            });
        }

        return parts;
    }

    private static string Write(PartCheckpoint checkpoint) => JsonSerializer.Serialize(checkpoint, Json);
}
