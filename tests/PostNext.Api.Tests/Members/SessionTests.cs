namespace PostNext.Api.Tests.Members;

/// <summary>People sign in with email and password and get a session cookie; the cookie acts with their role, guarded against CSRF and brute force.</summary>
[Collection(ApiCollection.Name)]
public sealed class SessionTests(ApiHost host)
{
    [Fact]
    public async Task The_bootstrap_link_makes_the_first_owner_whose_cookie_is_httponly_lax_and_carries_user_workspace_and_role()
    {
        var (ws, adminKey) = await host.CreateWorkspaceAsync();
        var link = await ApiHost.JsonAsync(await host.SendAsync(HttpMethod.Post, $"/v1/workspaces/{ws}/bootstrap-link", ApiHost.OperatorKey), HttpStatusCode.Created);
        var token = link["token"]!.GetValue<string>();
        Assert.Equal("owner", link["role"]!.GetValue<string>());
        Assert.Equal($"{host.Http.BaseAddress}app/join?token={token}", link["link"]!.GetValue<string>());

        using var owner = new Person(host.Http.BaseAddress!);
        var preview = await owner.JsonAsync(HttpMethod.Post, "/v1/auth/invitations/preview", new { token }, HttpStatusCode.OK);
        Assert.Equal(ws, preview["workspaceId"]!.GetValue<string>());
        Assert.Null(preview["email"]);

        var email = Team.NewEmail("first");
        using var accepted = await owner.SendAsync(HttpMethod.Post, "/v1/auth/invitations/accept", new { token, password = Team.Password, email = email.ToUpperInvariant() });
        var session = await Person.ReadAsync(accepted, HttpStatusCode.OK, "accept");
        Assert.Equal(email, session["email"]!.GetValue<string>());
        Assert.Equal(ws, session["workspaceId"]!.GetValue<string>());
        Assert.Equal("owner", session["role"]!.GetValue<string>());
        Assert.Equal("X-CSRF-TOKEN", session["antiforgeryHeader"]!.GetValue<string>());
        Assert.DoesNotContain(Team.Password, session.ToJsonString(), StringComparison.Ordinal);

        var cookie = Assert.Single(accepted.Headers.GetValues("Set-Cookie"), c => c.StartsWith("PostNext.Session=", StringComparison.Ordinal));
        Assert.Contains("httponly", cookie, StringComparison.OrdinalIgnoreCase);
        Assert.Contains("samesite=lax", cookie, StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain("secure", cookie, StringComparison.OrdinalIgnoreCase); // Plain HTTP here; Secure when the request is HTTPS.

        // The cookie alone reaches the workspace, with the owner's rights.
        Assert.Equal(HttpStatusCode.OK, (await owner.SendAsync(HttpMethod.Get, $"/v1/workspaces/{ws}")).StatusCode);
        var members = await owner.JsonAsync(HttpMethod.Get, $"/v1/workspaces/{ws}/members", null, HttpStatusCode.OK);
        Assert.Equal([(email, "owner")], members["members"]!.AsArray().Select(m => (m!["email"]!.GetValue<string>(), m["role"]!.GetValue<string>())));

        // One-time: the link is used up.
        using var again = new Person(host.Http.BaseAddress!);
        await again.AcceptAsync(token, Team.Password, Team.NewEmail("late"), HttpStatusCode.NotFound);

        // Signing in again answers the same person; a workspace key may not mint bootstrap links.
        using var later = new Person(host.Http.BaseAddress!);
        var signedIn = await later.SignInAsync(email, Team.Password);
        Assert.Equal(session["userId"]!.GetValue<string>(), signedIn["userId"]!.GetValue<string>());
        Assert.Equal(HttpStatusCode.Forbidden, (await owner.SendAsync(HttpMethod.Post, $"/v1/workspaces/{ws}/bootstrap-link")).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await host.SendAsync(HttpMethod.Post, $"/v1/workspaces/{ws}/bootstrap-link", adminKey)).StatusCode);
    }

    [Fact]
    public async Task A_cookie_call_that_changes_something_needs_the_antiforgery_token_and_sign_in_takes_only_json()
    {
        var (ws, _, owner, email) = await Team.NewWorkspaceWithOwnerAsync(host);
        var hook = new { url = "https://example.com/hook", events = new[] { "post.published" } };

        using var bare = await owner.SendAsync(HttpMethod.Post, $"/v1/workspaces/{ws}/webhooks", hook, antiforgery: false);
        var problem = await Person.ReadAsync(bare, HttpStatusCode.Forbidden, "without token");
        Assert.Contains("X-CSRF-TOKEN", problem["detail"]!.GetValue<string>(), StringComparison.Ordinal);

        using var forged = new HttpRequestMessage(HttpMethod.Post, $"v1/workspaces/{ws}/webhooks") { Content = JsonContent.Create(hook) };
        forged.Headers.Add(Person.AntiforgeryHeader, "not-a-token");
        Assert.Equal(HttpStatusCode.Forbidden, (await owner.Http.SendAsync(forged)).StatusCode);
        Assert.Empty((await owner.JsonAsync(HttpMethod.Get, $"/v1/workspaces/{ws}/webhooks", null, HttpStatusCode.OK))["webhooks"]!.AsArray());

        // Another person's token does not fit this session.
        var (other, _) = await Team.JoinAsync(host, owner, ws, "owner");
        using var foreign = new HttpRequestMessage(HttpMethod.Post, $"v1/workspaces/{ws}/webhooks") { Content = JsonContent.Create(hook) };
        foreign.Headers.Add(Person.AntiforgeryHeader, other.Antiforgery!);
        Assert.Equal(HttpStatusCode.Forbidden, (await owner.Http.SendAsync(foreign)).StatusCode);

        await owner.JsonAsync(HttpMethod.Post, $"/v1/workspaces/{ws}/webhooks", hook, HttpStatusCode.Created);

        // A fresh token from GET /v1/auth/session works as well.
        var session = await owner.JsonAsync(HttpMethod.Get, "/v1/auth/session", null, HttpStatusCode.OK);
        using var fresh = new HttpRequestMessage(HttpMethod.Post, $"v1/workspaces/{ws}/api-keys") { Content = JsonContent.Create(new { label = "ci" }) };
        fresh.Headers.Add(Person.AntiforgeryHeader, session["antiforgeryToken"]!.GetValue<string>());
        Assert.Equal(HttpStatusCode.Created, (await owner.Http.SendAsync(fresh)).StatusCode);

        // A cross-site form can only send form bodies: sign-in refuses them.
        using var anonymous = new Person(host.Http.BaseAddress!);
        using var form = await anonymous.Http.PostAsync("v1/auth/sign-in",
            new FormUrlEncodedContent(new Dictionary<string, string> { ["email"] = email, ["password"] = Team.Password }));
        Assert.Equal(HttpStatusCode.UnsupportedMediaType, form.StatusCode);
        Assert.DoesNotContain(form.Headers, h => h.Key == "Set-Cookie");
    }

    [Fact]
    public async Task Wrong_passwords_answer_401_and_after_five_the_email_is_refused_from_this_address_even_with_the_right_one()
    {
        var (ws, _, _, email) = await Team.NewWorkspaceWithOwnerAsync(host);
        using var attacker = new Person(host.Http.BaseAddress!);
        for (var i = 0; i < 5; i++)
        {
            var wrong = await attacker.SignInAsync(email, $"wrong password {i}", expected: HttpStatusCode.Unauthorized);
            Assert.Equal("The email or the password is wrong.", wrong["detail"]!.GetValue<string>());
        }

        using var refused = await attacker.SendAsync(HttpMethod.Post, "/v1/auth/sign-in", new { email, password = Team.Password });
        Assert.Equal(HttpStatusCode.TooManyRequests, refused.StatusCode);
        Assert.True(int.Parse(refused.Headers.GetValues("Retry-After").Single(), System.Globalization.CultureInfo.InvariantCulture) > 60);
        Assert.DoesNotContain(refused.Headers, h => h.Key == "Set-Cookie");

        // An unknown email is refused like a wrong password, never saying which it was.
        var unknown = await attacker.SignInAsync(Team.NewEmail("nobody"), Team.Password, expected: HttpStatusCode.Unauthorized);
        Assert.Equal("The email or the password is wrong.", unknown["detail"]!.GetValue<string>());
        Assert.Equal(HttpStatusCode.Unauthorized, (await attacker.SendAsync(HttpMethod.Get, $"/v1/workspaces/{ws}")).StatusCode);
    }

    [Fact]
    public async Task A_person_in_two_workspaces_switches_and_the_session_then_reaches_only_the_chosen_one()
    {
        var (ws1, _, owner1, _) = await Team.NewWorkspaceWithOwnerAsync(host);
        var (ws2, _, owner2, _) = await Team.NewWorkspaceWithOwnerAsync(host);
        var email = Team.NewEmail("both");
        var first = await owner1.JsonAsync(HttpMethod.Post, $"/v1/workspaces/{ws1}/invitations", new { email, role = "editor" }, HttpStatusCode.Created);
        var second = await owner2.JsonAsync(HttpMethod.Post, $"/v1/workspaces/{ws2}/invitations", new { email, role = "viewer" }, HttpStatusCode.Created);

        using var person = new Person(host.Http.BaseAddress!);
        await person.AcceptAsync(first["token"]!.GetValue<string>(), Team.Password);
        using var wrongPassword = new Person(host.Http.BaseAddress!);
        await wrongPassword.AcceptAsync(second["token"]!.GetValue<string>(), "not the password at all", expected: HttpStatusCode.Unauthorized);
        var joined = await person.AcceptAsync(second["token"]!.GetValue<string>(), Team.Password);
        Assert.Equal((ws2, "viewer"), (joined["workspaceId"]!.GetValue<string>(), joined["role"]!.GetValue<string>()));
        Assert.Equal([(ws1, "editor"), (ws2, "viewer")],
            joined["workspaces"]!.AsArray().Select(w => (w!["workspaceId"]!.GetValue<string>(), w["role"]!.GetValue<string>())));

        Assert.Equal(HttpStatusCode.NotFound, (await person.SendAsync(HttpMethod.Get, $"/v1/workspaces/{ws1}/accounts")).StatusCode);
        var switched = await person.SwitchAsync(ws1);
        Assert.Equal("editor", switched["role"]!.GetValue<string>());
        Assert.Equal(HttpStatusCode.OK, (await person.SendAsync(HttpMethod.Get, $"/v1/workspaces/{ws1}/accounts")).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await person.SendAsync(HttpMethod.Get, $"/v1/workspaces/{ws2}/accounts")).StatusCode);

        var (ws3, _) = await host.CreateWorkspaceAsync();
        await person.SwitchAsync(ws3, HttpStatusCode.NotFound);

        // Sign-in may name the workspace; the default is the first joined.
        using var again = new Person(host.Http.BaseAddress!);
        Assert.Equal(ws1, (await again.SignInAsync(email, Team.Password))["workspaceId"]!.GetValue<string>());
        Assert.Equal(ws2, (await again.SignInAsync(email, Team.Password, ws2))["workspaceId"]!.GetValue<string>());

        Assert.Equal(HttpStatusCode.NoContent, (await person.SendAsync(HttpMethod.Post, "/v1/auth/sign-out")).StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, (await person.SendAsync(HttpMethod.Get, $"/v1/workspaces/{ws1}/accounts")).StatusCode);
    }
}
