using PostNext.Web.Session;

namespace PostNext.Web.Tests;

/// <summary>The interim sign-in's mapping: a workspace key's strongest scope is the member's role, and the role acts with that scope.</summary>
public sealed class MemberRoleTests
{
    [Theory]
    [InlineData(new[] { "admin" }, "owner", "admin")]
    [InlineData(new[] { "publish" }, "editor", "publish")]
    [InlineData(new[] { "read", "publish" }, "editor", "publish")]
    [InlineData(new[] { "read" }, "viewer", "read")]
    [InlineData(new string[0], "viewer", "read")]
    public void A_key_scope_maps_to_a_role_that_acts_with_the_same_scope(string[] scopes, string role, string scope)
    {
        var member = new Member("key:k1", "ws1", Member.RoleForScopes(scopes));
        Assert.Equal((role, scope), (member.Role, member.Scope));
        Assert.Equal(member, Member.From(member.ToPrincipal()));
    }

    [Fact]
    public void A_principal_of_another_scheme_or_with_an_unknown_role_is_no_member()
    {
        var forged = new System.Security.Claims.ClaimsPrincipal(new System.Security.Claims.ClaimsIdentity(
            [new(Member.UserClaim, "u"), new(Member.WorkspaceClaim, "ws1"), new(Member.RoleClaim, "owner")], "PostNextKey"));
        Assert.Null(Member.From(forged));
        Assert.Null(Member.From(new Member("u", "ws1", "superuser").ToPrincipal()));
    }
}
