using System.Collections.Concurrent;
using System.Globalization;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using static PostNext.Platforms.Tests.Meta.MetaFake;

namespace PostNext.Platforms.Tests.Meta;

/// <summary>
/// The Graph API's comments edge as Facebook Pages and Instagram media have it: <c>POST /{version}/{id}/comments</c>
/// with <c>message</c> answers <c>{"id"}</c>; <c>GET /{version}/{id}/comments</c> lists them (Facebook shows the text in
/// <c>message</c>, Instagram in <c>text</c>). Only an existing post or media takes comments.
/// </summary>
public sealed class FakeGraphComments(string textField, Func<HttpContext, IResult?> authorize, Func<string, bool> exists)
{
    private readonly ConcurrentDictionary<string, ConcurrentQueue<FakeComment>> _byParent = new();
    private int _ids = 9_000;

    /// <summary>When set, the next comment is refused with this Graph error (status, message, code) and nothing is created.</summary>
    public (int Status, string Message, int Code)? RefuseNext { get; set; }

    /// <summary>While set, every comment is refused with this Graph error (status, message, code) and nothing is created.</summary>
    public (int Status, string Message, int Code)? Refusing { get; set; }

    public IReadOnlyList<FakeComment> On(string parentId) => _byParent.TryGetValue(parentId, out var comments) ? [.. comments] : [];

    public IReadOnlyList<FakeComment> All => [.. _byParent.Values.SelectMany(c => c)];

    public void Map(IEndpointRouteBuilder app)
    {
        app.MapPost("/{version}/{id}/comments", async (HttpContext context, string id) =>
        {
            if (authorize(context) is { } denied)
            {
                return denied;
            }

            if (!exists(id))
            {
                return Error(400, $"Unsupported post request. Object with ID '{id}' does not exist.", 100, 33);
            }

            if (RefuseNext is { } refusal)
            {
                RefuseNext = null;
                return Error(refusal.Status, refusal.Message, refusal.Code);
            }

            if (Refusing is { } refusing)
            {
                return Error(refusing.Status, refusing.Message, refusing.Code);
            }

            var form = context.Request.HasFormContentType ? await context.Request.ReadFormAsync() : null;
            var message = form?["message"].ToString() ?? Query(context, "message");
            if (string.IsNullOrEmpty(message))
            {
                return Error(400, "(#100) The parameter message is required", 100);
            }

            var comment = new FakeComment($"{id}_{Interlocked.Increment(ref _ids).ToString(CultureInfo.InvariantCulture)}", id, message);
            _byParent.GetOrAdd(id, _ => new ConcurrentQueue<FakeComment>()).Enqueue(comment);
            return Json(new JsonObject { ["id"] = comment.Id });
        });
        app.MapGet("/{version}/{id}/comments", (HttpContext context, string id) => authorize(context) ?? Json(new JsonObject
        {
            ["data"] = new JsonArray([.. On(id).Select(c => new JsonObject { ["id"] = c.Id, [textField] = c.Text })]),
        }));
    }
}

public sealed record FakeComment(string Id, string ParentId, string Text);
