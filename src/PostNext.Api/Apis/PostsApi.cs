using System.Diagnostics;
using System.Security.Cryptography;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Orleans;
using PostNext.Abstractions;
using PostNext.Abstractions.Diagnostics;
using PostNext.Abstractions.Posts;
using PostNext.Abstractions.Workspaces;
using PostNext.Api.Contracts;
using PostNext.Api.Http;
using PostNext.Api.Posts;

namespace PostNext.Api.Apis;

/// <summary>Posts: write once, schedule to many accounts, follow each target to published, failed or canceled.</summary>
public static class PostsApi
{
    public const string IdempotencyHeader = "Idempotency-Key";
    public const int MaxIdempotencyKeyLength = 255;
    public const int DefaultListLimit = 50;
    public const int MaxListLimit = 200;
    public const int MaxSearchLength = 200;

    public static IEndpointRouteBuilder MapPostsApi(this IEndpointRouteBuilder endpoints)
    {
        // Every post route is open to publish keys; reads need read (the group default for GET).
        var posts = endpoints.MapWorkspaceGroup().MapGroup("/posts").WithTags("Posts");
        posts.MapPost("/", CreateAsync)
            .RequireScope(ApiScopes.Publish).WithBodyLimit(JsonBody.PostMaxBytes).WithName("CreatePost")
            .WithSummary("Create a post for one or more accounts: at a time, now, in the queue, or as a draft. Idempotency-Key makes retries safe.")
            .Accepts<CreatePostRequest>("application/json")
            .Produces<PostResponse>(StatusCodes.Status201Created)
            .ProducesValidationProblem()
            .ProducesProblem(StatusCodes.Status409Conflict)
            .ProducesProblem(StatusCodes.Status422UnprocessableEntity);
        posts.MapGet("/", ListAsync)
            .WithName("ListPosts")
            .WithSummary("List posts, drafts included, newest first: filter by status, account, platform and text (q); cursor paging.")
            .WithDescription(
                $"`status`: one of {ApiNames.All<PostStatus>()}. `accountId`, `platform`: posts with a target on that account or platform. " +
                $"`q`: text contained in the post's text, title or a target's override text, ignoring case (at most {MaxSearchLength} characters). " +
                $"`limit`: 1 to {MaxListLimit} (default {DefaultListLimit}). `cursor`: the previous page's `nextCursor`. " +
                "A page can hold fewer posts than the limit and still have a `nextCursor` when a status filter skipped many posts.")
            .Produces<PostListResponse>()
            .ProducesValidationProblem();
        posts.MapGet("/{postId}", GetAsync)
            .WithName("GetPost").WithSummary("Get a post and the live status of each target.").Produces<PostResponse>();
        posts.MapPatch("/{postId}", UpdateAsync)
            .RequireScope(ApiScopes.Publish).WithBodyLimit(JsonBody.PostMaxBytes).WithName("UpdatePost").WithSummary("Edit text, media, targets or time; only before publishing starts (else 409).")
            .Accepts<UpdatePostRequest>("application/json")
            .Produces<PostResponse>()
            .ProducesValidationProblem()
            .ProducesProblem(StatusCodes.Status409Conflict)
            .ProducesProblem(StatusCodes.Status422UnprocessableEntity);
        posts.MapPost("/{postId}/cancel", CancelAsync)
            .RequireScope(ApiScopes.Publish).WithName("CancelPost").WithSummary("Cancel every target that has not started publishing.")
            .Produces<PostResponse>().ProducesProblem(StatusCodes.Status409Conflict);
        posts.MapPost("/{postId}/publish-now", PublishNowAsync)
            .RequireScope(ApiScopes.Publish).WithName("PublishPostNow").WithSummary("Publish every pending target now.")
            .Produces<PostResponse>().ProducesProblem(StatusCodes.Status409Conflict);
        posts.MapDelete("/{postId}", DeleteAsync)
            .RequireScope(ApiScopes.Publish).WithName("DeletePost").WithSummary("Delete a draft or a canceled post.")
            .Produces(StatusCodes.Status204NoContent).ProducesProblem(StatusCodes.Status409Conflict);
        return endpoints;
    }

    private static async Task<IResult> CreateAsync(HttpContext http, IGrainFactory grains, PostRequestReader reader)
    {
        var workspace = await http.WorkspaceViewAsync();
        var idempotencyKey = http.Request.Headers[IdempotencyHeader].ToString();
        if (idempotencyKey.Length > MaxIdempotencyKeyLength)
        {
            return Problems.BadRequest($"{IdempotencyHeader} is at most {MaxIdempotencyKeyLength} characters.");
        }

        var (body, raw, error) = await JsonBody.ReadAsync<CreatePostRequest>(http.Request);
        if (error is not null)
        {
            return error;
        }

        var fingerprint = Convert.ToHexStringLower(SHA256.HashData(raw));
        var postId = idempotencyKey.Length == 0 ? Ids.New(Ids.Post) : Ids.Derived(Ids.Post, $"{workspace.Id}\n{idempotencyKey}");
        var post = grains.GetGrain<IPostGrain>(postId);
        if (idempotencyKey.Length > 0 && await post.GetFingerprintAsync() is not null)
        {
            // A repeated request: the post grain answers the first result (or a conflict if the body differs).
            return Respond(http, await post.CreateAsync(new CreatePost(workspace.Id, PostContent.Empty, [], false, "", "", fingerprint)), workspace.Id, replay: true);
        }

        var read = await reader.ReadAsync(workspace, body!.Content, body.Targets, body.Schedule, body.Draft ?? false);
        if (read.Error is not null)
        {
            return read.Error;
        }

        var result = await post.CreateAsync(new CreatePost(workspace.Id, read.Content, read.Targets, read.Draft, read.TimeZone, read.Mode, fingerprint));
        Activity.Current?.SetTag(PostNextTelemetry.PostIdAttribute, postId).SetTag(PostNextTelemetry.WorkspaceIdAttribute, workspace.Id);
        if (result.Outcome == PostOutcome.Created)
        {
            PostNextTelemetry.PostsAccepted.Add(1, new KeyValuePair<string, object?>(PostNextTelemetry.ModeTag, read.Draft ? "draft" : read.Mode));
        }

        return Respond(http, result, workspace.Id, replay: result.Outcome == PostOutcome.Ok);
    }

    private static async Task<IResult> ListAsync(
        HttpContext http, IGrainFactory grains, string? status, string? accountId, string? platform, string? q, string? cursor, string? limit)
    {
        var ws = http.WorkspaceId();
        var errors = new RequestErrors();
        var statusFilter = QueryParameters.Enum<PostStatus>(status, "status", errors);
        if (accountId is not null && !Ids.IsValid(accountId, Ids.Account))
        {
            errors.Add("accountId", "accountId must be an account id (acc…).");
        }

        QueryParameters.Platform(platform, errors);
        if (q is not null && (q.Trim().Length == 0 || q.Length > MaxSearchLength))
        {
            errors.Add("q", $"q must hold from 1 to {MaxSearchLength} characters besides spaces.");
        }

        var size = QueryParameters.Limit(limit, DefaultListLimit, MaxListLimit, errors);
        var after = QueryParameters.Cursor(cursor, DecodeCursor, errors);
        if (errors.Any)
        {
            return Problems.Invalid(errors);
        }

        var page = await grains.GetGrain<IPostListGrain>(ws).ListAsync(new PostListQuery(ws, statusFilter, accountId, platform, q?.Trim(), after, size));
        return TypedResults.Ok(new PostListResponse(
            page.Posts.Select(p => new PostSummaryResponse(
                p.Id, ApiNames.Of(p.Status), p.Text, p.Title,
                p.Targets.Select(t => new PostSummaryTargetResponse(t.AccountId, t.Platform, t.Status is { } s ? ApiNames.Of(s) : null, t.At, t.PublishedAt, t.PartsPending)).ToList(),
                p.CreatedAt, p.UpdatedAt)).ToList(),
            page.Next is null ? null : EncodeCursor(page.Next)));
    }

    private static string EncodeCursor(PostListCursor c) => CursorText.Encode(c.CreatedAt, c.PostId);

    private static PostListCursor? DecodeCursor(string text) =>
        CursorText.Decode(text, 1) is { } c && Ids.IsValid(c.Keys[0], Ids.Post) ? new PostListCursor(c.At, c.Keys[0]) : null;

    private static async Task<IResult> GetAsync(HttpContext http, string postId, IGrainFactory grains) =>
        await FindAsync(grains, http.WorkspaceId(), postId) is { } post
            ? TypedResults.Ok(post.ToResponse())
            : Problems.NotFound("The post");

    private static async Task<IResult> UpdateAsync(HttpContext http, string postId, IGrainFactory grains, PostRequestReader reader)
    {
        var workspace = await http.WorkspaceViewAsync();
        var current = await FindAsync(grains, workspace.Id, postId);
        if (current is null)
        {
            return Problems.NotFound("The post");
        }

        var (body, _, error) = await JsonBody.ReadAsync<UpdatePostRequest>(http.Request);
        if (error is not null)
        {
            return error;
        }

        var content = MergeContent(current.Content.ToDto(), body!.Content);
        var targets = body.Targets ?? current.Targets
            .Select(t => new TargetDto(
                t.AccountId, t.Overrides is { } o ? new OverridesDto(o.Text, o.Title, o.Media?.Select(m => new MediaDto(m.Url, ApiNames.Of(m.Type))).ToList()) : null,
                TargetOptionsReader.ToDto(t.Options)))
            .ToList();
        var keepTimes = current.Targets.ToDictionary(t => t.AccountId, t => t.ScheduledAt, StringComparer.Ordinal);
        var draft = body.Draft ?? current.Status == PostStatus.Draft;
        var read = await reader.ReadAsync(workspace, content, targets, body.Schedule, draft, keepTimes, current.ScheduleMode, current.TimeZone);
        if (read.Error is not null)
        {
            return read.Error;
        }

        var result = await grains.GetGrain<IPostGrain>(postId).UpdateAsync(new UpdatePost(
            read.Content, read.Targets, read.Draft, body.Schedule is null ? null : read.TimeZone, body.Schedule is null ? null : read.Mode));
        return Respond(http, result, workspace.Id);
    }

    private static async Task<IResult> CancelAsync(HttpContext http, string postId, IGrainFactory grains) =>
        await FindAsync(grains, http.WorkspaceId(), postId) is null
            ? Problems.NotFound("The post")
            : Respond(http, await grains.GetGrain<IPostGrain>(postId).CancelAsync(), http.WorkspaceId());

    private static async Task<IResult> PublishNowAsync(HttpContext http, string postId, IGrainFactory grains) =>
        await FindAsync(grains, http.WorkspaceId(), postId) is null
            ? Problems.NotFound("The post")
            : Respond(http, await grains.GetGrain<IPostGrain>(postId).PublishNowAsync(), http.WorkspaceId());

    private static async Task<IResult> DeleteAsync(HttpContext http, string postId, IGrainFactory grains)
    {
        if (await FindAsync(grains, http.WorkspaceId(), postId) is null)
        {
            return Problems.NotFound("The post");
        }

        var result = await grains.GetGrain<IPostGrain>(postId).DeleteAsync();
        return result.Outcome == PostOutcome.Ok ? TypedResults.NoContent() : Respond(http, result, http.WorkspaceId());
    }

    private static async Task<PostView?> FindAsync(IGrainFactory grains, string workspaceId, string postId)
    {
        if (!Ids.IsValid(postId, Ids.Post))
        {
            return null;
        }

        var post = await grains.GetGrain<IPostGrain>(postId).GetAsync();
        return post?.WorkspaceId == workspaceId ? post : null;
    }

    private static ContentDto? MergeContent(ContentDto current, ContentDto? patch) =>
        patch is null ? current : new ContentDto(patch.Text ?? current.Text, patch.Title ?? current.Title, patch.Media ?? current.Media);

    private static IResult Respond(HttpContext http, PostResult result, string workspaceId, bool replay = false)
    {
        switch (result.Outcome)
        {
            case PostOutcome.Created:
                return TypedResults.Created($"/v1/workspaces/{workspaceId}/posts/{result.Post!.Id}", result.Post.ToResponse());
            case PostOutcome.Ok when replay:
                http.Response.Headers["Idempotent-Replayed"] = "true";
                return TypedResults.Created($"/v1/workspaces/{workspaceId}/posts/{result.Post!.Id}", result.Post.ToResponse());
            case PostOutcome.Ok:
                return TypedResults.Ok(result.Post!.ToResponse());
            case PostOutcome.Conflict:
                return Problems.Conflict(result.Detail ?? "Conflict.", result.Post?.ToResponse());
            default:
                return Problems.NotFound("The post");
        }
    }
}
