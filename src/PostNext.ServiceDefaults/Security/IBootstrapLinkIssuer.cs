namespace PostNext.ServiceDefaults.Security;

/// <summary>
/// Makes the way in to a fresh development instance: a workspace and its one-time first-owner link. The start-up banner
/// prints the link beside the generated operator key (only then: never with a configured key).
/// </summary>
public interface IBootstrapLinkIssuer
{
    /// <summary>A new workspace's bootstrap link, under <paramref name="root"/> (the address the host listens on).</summary>
    Task<string> IssueAsync(string root, CancellationToken cancellationToken);
}
