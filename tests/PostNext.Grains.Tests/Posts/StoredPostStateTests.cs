using Newtonsoft.Json;
using Newtonsoft.Json.Linq;
using PostNext.Abstractions.Posts;
using PostNext.Grains.Posts;

namespace PostNext.Grains.Tests.Posts;

/// <summary>
/// Post state is stored as JSON (Json.NET, the ADO.NET grain storage's serializer): a post stored before per-target
/// options existed has no Options members, and still reads back whole, with no options.
/// </summary>
public sealed class StoredPostStateTests
{
    [Fact]
    public void A_post_stored_before_target_options_reads_back_whole_with_none()
    {
        var settings = new JsonSerializerSettings { TypeNameHandling = TypeNameHandling.Auto };
        var due = new DateTimeOffset(2026, 12, 1, 9, 0, 0, TimeSpan.Zero);
        var state = new PostState
        {
            WorkspaceId = "ws1",
            Content = new PostContent("Hello", new List<MediaItem> { new("https://cdn.example.com/a.jpg", MediaType.Image), new("https://cdn.example.com/b.jpg", MediaType.Image) }, "Title"),
            Targets = [new TargetSpec("acc1", "tiktok", new ContentOverrides("Hi"), due)],
            TargetsScheduled = true,
        };
        var stored = JObject.Parse(JsonConvert.SerializeObject(state, settings));
        foreach (var options in stored.Descendants().OfType<JProperty>().Where(p => p.Name == "Options").ToList())
        {
            options.Remove(); // as written before the member existed
        }

        Assert.DoesNotContain("Options", stored.ToString(), StringComparison.Ordinal);
        var read = JsonConvert.DeserializeObject<PostState>(stored.ToString(), settings)!;

        Assert.Equal(("ws1", "Hello", "Title"), (read.WorkspaceId, read.Content.Text, read.Content.Title));
        Assert.Null(read.Content.Options);
        var target = Assert.Single(read.Targets);
        Assert.Equal(("acc1", "tiktok", "Hi", due), (target.AccountId, target.Platform, target.Overrides!.Text, target.DueAt!.Value));
        Assert.Null(target.Options);
    }
}
