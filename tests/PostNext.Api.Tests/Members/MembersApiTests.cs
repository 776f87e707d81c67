namespace PostNext.Api.Tests.Members;

/// <summary>Owners manage members and invitations; a workspace always keeps an owner; changes reach live sessions at once.</summary>
[Collection(ApiCollection.Name)]
public sealed class MembersApiTests(ApiHost host)
{
    [Fact]
    public async Task An_owner_invites_lists_and_revokes_and_the_list_never_shows_tokens()
    {
        var (ws, _, owner, _) = await Team.NewWorkspaceWithOwnerAsync(host);
        var editorEmail = Team.NewEmail("editor");
        var issued = await owner.JsonAsync(HttpMethod.Post, $"/v1/workspaces/{ws}/invitations", new { email = $"  {editorEmail.ToUpperInvariant()} ", role = "editor" }, HttpStatusCode.Created);
        Assert.Equal(editorEmail, issued["email"]!.GetValue<string>());
        var revoked = await owner.JsonAsync(HttpMethod.Post, $"/v1/workspaces/{ws}/invitations", new { email = Team.NewEmail("gone"), role = "viewer" }, HttpStatusCode.Created);

        var listed = await owner.JsonAsync(HttpMethod.Get, $"/v1/workspaces/{ws}/invitations", null, HttpStatusCode.OK);
        Assert.Equal([issued["id"]!.GetValue<string>(), revoked["id"]!.GetValue<string>()], listed["invitations"]!.AsArray().Select(i => i!["id"]!.GetValue<string>()));
        Assert.DoesNotContain(issued["token"]!.GetValue<string>(), listed.ToJsonString(), StringComparison.Ordinal);
        Assert.Equal(owner.UserId, listed["invitations"]![0]!["createdBy"]!.GetValue<string>());

        Assert.Equal(HttpStatusCode.NoContent, (await owner.SendAsync(HttpMethod.Delete, $"/v1/workspaces/{ws}/invitations/{revoked["id"]}")).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await owner.SendAsync(HttpMethod.Delete, $"/v1/workspaces/{ws}/invitations/{revoked["id"]}")).StatusCode);
        using var late = new Person(host.Http.BaseAddress!);
        await late.AcceptAsync(revoked["token"]!.GetValue<string>(), Team.Password, expected: HttpStatusCode.NotFound);

        // The invited email is the sign-in name; another one is refused, and a short password too.
        using var editor = new Person(host.Http.BaseAddress!);
        var token = issued["token"]!.GetValue<string>();
        var preview = await editor.JsonAsync(HttpMethod.Post, "/v1/auth/invitations/preview", new { token }, HttpStatusCode.OK);
        Assert.Equal(("editor", editorEmail, false), (preview["role"]!.GetValue<string>(), preview["email"]!.GetValue<string>(), preview["accountExists"]!.GetValue<bool>()));
        var otherEmail = await editor.AcceptAsync(token, Team.Password, Team.NewEmail("else"), HttpStatusCode.BadRequest);
        Assert.NotNull(otherEmail["errors"]!["email"]);
        var shortPassword = await editor.AcceptAsync(token, "short", expected: HttpStatusCode.BadRequest);
        Assert.NotNull(shortPassword["errors"]!["password"]);
        await editor.AcceptAsync(token, Team.Password);

        var members = await owner.JsonAsync(HttpMethod.Get, $"/v1/workspaces/{ws}/members", null, HttpStatusCode.OK);
        Assert.Equal(["owner", "editor"], members["members"]!.AsArray().Select(m => m!["role"]!.GetValue<string>()));
        Assert.Empty((await owner.JsonAsync(HttpMethod.Get, $"/v1/workspaces/{ws}/invitations", null, HttpStatusCode.OK))["invitations"]!.AsArray());

        var bad = await owner.JsonAsync(HttpMethod.Post, $"/v1/workspaces/{ws}/invitations", new { email = "not an email", role = "admin" }, HttpStatusCode.BadRequest);
        Assert.NotNull(bad["errors"]!["email"]);
        Assert.Contains("viewer, editor, owner", bad["errors"]!["role"]![0]!.GetValue<string>(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task The_last_owner_can_be_neither_demoted_nor_removed_and_role_changes_reach_live_sessions_at_once()
    {
        var (ws, adminKey, owner, _) = await Team.NewWorkspaceWithOwnerAsync(host);
        var (editor, _) = await Team.JoinAsync(host, owner, ws, "editor");

        var demote = await owner.JsonAsync(HttpMethod.Patch, $"/v1/workspaces/{ws}/members/{owner.UserId}", new { role = "viewer" }, HttpStatusCode.Conflict);
        Assert.Contains("at least one owner", demote["detail"]!.GetValue<string>(), StringComparison.Ordinal);
        await owner.JsonAsync(HttpMethod.Delete, $"/v1/workspaces/{ws}/members/{owner.UserId}", null, HttpStatusCode.Conflict);
        using (var byKey = await host.SendAsync(HttpMethod.Delete, $"/v1/workspaces/{ws}/members/{owner.UserId}", adminKey))
        {
            Assert.Equal(HttpStatusCode.Conflict, byKey.StatusCode);
        }

        // The editor may not write webhooks; promoted, the same cookie may at once; the first owner can then step down.
        var hook = new { url = "https://example.com/hook", events = new[] { "post.published" } };
        Assert.Equal(HttpStatusCode.Forbidden, (await editor.SendAsync(HttpMethod.Post, $"/v1/workspaces/{ws}/webhooks", hook)).StatusCode);
        var promoted = await owner.JsonAsync(HttpMethod.Patch, $"/v1/workspaces/{ws}/members/{editor.UserId}", new { role = "owner" }, HttpStatusCode.OK);
        Assert.Equal("owner", promoted["role"]!.GetValue<string>());
        await editor.JsonAsync(HttpMethod.Post, $"/v1/workspaces/{ws}/webhooks", hook, HttpStatusCode.Created);
        Assert.Equal("owner", (await editor.JsonAsync(HttpMethod.Get, "/v1/auth/session", null, HttpStatusCode.OK))["role"]!.GetValue<string>());

        await editor.JsonAsync(HttpMethod.Patch, $"/v1/workspaces/{ws}/members/{owner.UserId}", new { role = "viewer" }, HttpStatusCode.OK);
        Assert.Equal(HttpStatusCode.Forbidden, (await owner.SendAsync(HttpMethod.Post, $"/v1/workspaces/{ws}/invitations", new { email = Team.NewEmail("x"), role = "viewer" })).StatusCode);

        // Removed, the former owner's session ends at its next request.
        Assert.Equal(HttpStatusCode.NoContent, (await editor.SendAsync(HttpMethod.Delete, $"/v1/workspaces/{ws}/members/{owner.UserId}")).StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, (await owner.SendAsync(HttpMethod.Get, $"/v1/workspaces/{ws}")).StatusCode);
        Assert.Equal(["owner"], (await editor.JsonAsync(HttpMethod.Get, $"/v1/workspaces/{ws}/members", null, HttpStatusCode.OK))["members"]!.AsArray().Select(m => m!["role"]!.GetValue<string>()));

        var unknownRole = await editor.JsonAsync(HttpMethod.Patch, $"/v1/workspaces/{ws}/members/{editor.UserId}", new { role = "root" }, HttpStatusCode.BadRequest);
        Assert.NotNull(unknownRole["errors"]!["role"]);
        await editor.JsonAsync(HttpMethod.Patch, $"/v1/workspaces/{ws}/members/usr00000000000000000000", new { role = "viewer" }, HttpStatusCode.NotFound);
    }

    [Fact]
    public async Task An_account_that_already_exists_joins_with_its_own_password_and_keeps_one_identity()
    {
        var (ws1, _, owner1, _) = await Team.NewWorkspaceWithOwnerAsync(host);
        var (ws2, _, owner2, _) = await Team.NewWorkspaceWithOwnerAsync(host);
        var (person, email) = await Team.JoinAsync(host, owner1, ws1, "viewer");
        var invitation = await owner2.JsonAsync(HttpMethod.Post, $"/v1/workspaces/{ws2}/invitations", new { email, role = "editor" }, HttpStatusCode.Created);
        var token = invitation["token"]!.GetValue<string>();
        Assert.True((await person.JsonAsync(HttpMethod.Post, "/v1/auth/invitations/preview", new { token }, HttpStatusCode.OK))["accountExists"]!.GetValue<bool>());

        // Joining does not set a new password: the old one still signs in, the one given with a wrong guess does not.
        var joined = await person.AcceptAsync(token, Team.Password);
        Assert.Equal(person.UserId, joined["userId"]!.GetValue<string>());
        using var check = new Person(host.Http.BaseAddress!);
        await check.SignInAsync(email, Team.Password, ws2);
        Assert.Equal(["owner", "editor"], (await owner2.JsonAsync(HttpMethod.Get, $"/v1/workspaces/{ws2}/members", null, HttpStatusCode.OK))["members"]!.AsArray().Select(m => m!["role"]!.GetValue<string>()));
    }
}
