namespace PostNext.Abstractions.Workspaces;

/// <summary>
/// What a person may do in a workspace. <c>viewer</c>: read everything. <c>editor</c>: a viewer who also writes posts
/// and queues. <c>owner</c>: everything, members, keys, accounts and webhooks included. A workspace key maps onto the
/// same ladder by its strongest scope (<c>read</c> ≈ viewer, <c>publish</c> ≈ editor, <c>admin</c> ≈ owner), so one
/// rule per route governs keys and people alike.
/// </summary>
public static class WorkspaceRoles
{
    public const string Viewer = "viewer";
    public const string Editor = "editor";
    public const string Owner = "owner";

    /// <summary>Every role, weakest first (index-aligned with <see cref="ApiScopes.All"/>).</summary>
    public static readonly IReadOnlyList<string> All = [Viewer, Editor, Owner];

    public static bool IsKnown(string? role) => role is not null && All.Contains(role, StringComparer.Ordinal);

    /// <summary>The role a route needing <paramref name="scope"/> asks of a person.</summary>
    public static string ForScope(string scope) => Rank(ApiScopes.All, scope) is var i and >= 0
        ? All[i]
        : throw new ArgumentOutOfRangeException(nameof(scope), scope, "Unknown scope.");

    /// <summary>The scope a person of <paramref name="role"/> acts with.</summary>
    public static string ScopeOf(string role) => Rank(All, role) is var i and >= 0
        ? ApiScopes.All[i]
        : throw new ArgumentOutOfRangeException(nameof(role), role, "Unknown role.");

    /// <summary>The role a key with these scopes stands for (its strongest), or null when it has none known.</summary>
    public static string? FromScopes(IEnumerable<string> scopes)
    {
        var best = scopes.Select(s => Rank(ApiScopes.All, s)).DefaultIfEmpty(-1).Max();
        return best < 0 ? null : All[best];
    }

    /// <summary>True when <paramref name="granted"/> is <paramref name="required"/> or stronger.</summary>
    public static bool Allows(string? granted, string required) =>
        granted is not null && Rank(All, required) is var r and >= 0 && Rank(All, granted) >= r;

    private static int Rank(IReadOnlyList<string> ladder, string value)
    {
        for (var i = 0; i < ladder.Count; i++)
        {
            if (string.Equals(ladder[i], value, StringComparison.Ordinal))
            {
                return i;
            }
        }

        return -1;
    }
}
