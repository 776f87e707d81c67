namespace PostNext.Abstractions.Workspaces;

/// <summary>
/// Workspace API keys read <c>pn_{workspaceId}_{keyId}_{secret}</c>: the workspace and key id route the check to the
/// one grain that holds the key's hash; only the secret is secret.
/// </summary>
public static class ApiKeyFormat
{
    public const string Prefix = "pn";

    public static string Compose(string workspaceId, string keyId, string secret) => $"{Prefix}_{workspaceId}_{keyId}_{secret}";

    public static bool TryParse(string? value, out string workspaceId, out string keyId, out string secret)
    {
        workspaceId = keyId = secret = string.Empty;
        var parts = value?.Split('_');
        if (parts is not { Length: 4 } || parts[0] != Prefix || !Ids.IsValid(parts[1]) || parts[2].Length == 0 || parts[3].Length < 16)
        {
            return false;
        }

        (workspaceId, keyId, secret) = (parts[1], parts[2], parts[3]);
        return true;
    }
}
