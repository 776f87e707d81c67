namespace PostNext.Abstractions.Workspaces;

/// <summary>
/// What a workspace key may do. <c>read</c>: every GET. <c>publish</c>: read, plus posts (create, edit, cancel,
/// publish now, delete) and queues. <c>admin</c>: everything in the workspace, keys, accounts and webhooks included.
/// Each scope includes the ones before it.
/// </summary>
public static class ApiScopes
{
    public const string Read = "read";
    public const string Publish = "publish";
    public const string Admin = "admin";

    /// <summary>Every scope, weakest first.</summary>
    public static readonly IReadOnlyList<string> All = [Read, Publish, Admin];

    public static bool IsKnown(string? scope) => scope is not null && All.Contains(scope, StringComparer.Ordinal);

    /// <summary>True when the granted scopes include <paramref name="required"/> (a stronger scope includes the weaker ones).</summary>
    public static bool Allows(IEnumerable<string> granted, string required)
    {
        var needed = Rank(required);
        return needed >= 0 && granted.Any(g => Rank(g) >= needed);
    }

    private static int Rank(string scope) => All.ToList().IndexOf(scope);
}
