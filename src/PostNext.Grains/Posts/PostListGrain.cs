using Orleans.Concurrency;
using PostNext.Abstractions.Calendar;
using PostNext.Abstractions.Posts;
using PostNext.Storage.Calendar;
using PostNext.Storage.Posts;

namespace PostNext.Grains.Posts;

/// <summary>
/// A workspace's posts list: reads the post index page by page, the targets' statuses from the calendar index, and
/// derives each post's status as the post grain does. Holds no state of its own.
/// </summary>
[Reentrant]
public sealed class PostListGrain(IPostStore index, ICalendarStore calendar) : Grain, IPostListGrain
{
    /// <summary>Index entries read per batch while a status filter skips posts.</summary>
    public const int BatchSize = 200;

    /// <summary>At most this many index entries are looked at per page; a rare status answers a short page with a cursor.</summary>
    public const int MaxScannedPerPage = 2000;

    public async Task<PostListPage> ListAsync(PostListQuery query)
    {
        if (query.WorkspaceId != this.GetPrimaryKeyString())
        {
            throw new ArgumentException("The query must be for this grain's workspace.", nameof(query));
        }

        // Drafts are told apart in the index; every other status needs the publications.
        bool? draft = query.Status is null ? null : query.Status == PostStatus.Draft;
        var needsFilter = query.Status is { } s && s != PostStatus.Draft;
        var posts = new List<PostSummary>();
        var after = query.After;
        var scanned = 0;
        while (true)
        {
            var batch = needsFilter ? Math.Min(BatchSize, MaxScannedPerPage - scanned) : query.Limit - posts.Count;
            var entries = await index.ScanAsync(new PostIndexScan(
                query.WorkspaceId, draft, query.AccountId, query.Platform, query.Search, after?.CreatedAt, after?.PostId, batch + 1));
            var page = entries.Take(batch).ToList();
            var summaries = await SummariesAsync(query.WorkspaceId, page);
            for (var i = 0; i < page.Count; i++)
            {
                after = new PostListCursor(page[i].CreatedAt, page[i].PostId);
                if (query.Status is { } status && summaries[i].Status != status)
                {
                    continue;
                }

                posts.Add(summaries[i]);
                if (posts.Count == query.Limit)
                {
                    // More may follow when this batch had more entries, or the index had more than the batch.
                    return new PostListPage(posts, i < page.Count - 1 || entries.Count > batch ? after : null);
                }
            }

            scanned += page.Count;
            if (entries.Count <= batch)
            {
                return new PostListPage(posts, null);
            }

            if (scanned >= MaxScannedPerPage)
            {
                return new PostListPage(posts, after);
            }
        }
    }

    private async Task<IReadOnlyList<PostSummary>> SummariesAsync(string workspaceId, IReadOnlyList<PostIndexEntry> entries)
    {
        var publications = entries.Count == 0
            ? []
            : (await calendar.ForPostsAsync(workspaceId, entries.Where(e => !e.Draft).Select(e => e.PostId).ToList()))
                .ToDictionary(e => (e.PostId, e.AccountId));
        return entries.Select(e =>
        {
            var targets = e.Targets
                .Select(t => e.Draft ? null : publications.GetValueOrDefault((e.PostId, t.AccountId)))
                .ToList();
            var status = PublicationStatuses.Of(e.Draft, e.Canceled, targets.Select(p => p?.Status.CountedAs(PartsPending(p))).ToList());
            return new PostSummary(
                e.PostId, status, e.Text, e.Title,
                e.Targets.Select((t, i) => new PostSummaryTarget(t.AccountId, t.Platform, targets[i]?.Status, targets[i]?.At, targets[i]?.PublishedAt, PartsPending(targets[i]))).ToList(),
                e.CreatedAt, e.UpdatedAt);
        }).ToList();
    }

    /// <summary>The row of a publication whose post is out (it has its time) while the rest of its chain is still to come.</summary>
    private static bool PartsPending(CalendarEntry? row) => row is { PublishedAt: not null } && !row.Status.IsFinal();
}
