namespace PostNext.Api.Members;

/// <summary>People, invitations and sessions, under <c>PostNext:Members</c>.</summary>
public sealed class MemberOptions
{
    public const string SectionName = "PostNext:Members";

    /// <summary>How long an invitation link stays valid.</summary>
    public TimeSpan InvitationLifetime { get; set; } = TimeSpan.FromDays(7);

    /// <summary>How long an operator's bootstrap link (first owner) stays valid.</summary>
    public TimeSpan BootstrapLifetime { get; set; } = TimeSpan.FromDays(1);

    /// <summary>Most open invitations one workspace may have at once.</summary>
    public int MaxOpenInvitations { get; set; } = 100;

    /// <summary>Failed sign-ins one email may have from one client address before it is refused (429) for <see cref="LockoutWindow"/>.</summary>
    public int MaxFailedSignIns { get; set; } = 5;

    /// <summary>Failed sign-ins one client address may have over all emails before it is refused for <see cref="LockoutWindow"/>.</summary>
    public int MaxFailedSignInsPerAddress { get; set; } = 50;

    /// <summary>How long failures are counted, and how long a refusal lasts after the last one.</summary>
    public TimeSpan LockoutWindow { get; set; } = TimeSpan.FromMinutes(15);

    /// <summary>A session ends after this long without a request (sliding).</summary>
    public TimeSpan SessionIdleTimeout { get; set; } = TimeSpan.FromHours(12);

    public IEnumerable<string> Problems()
    {
        if (InvitationLifetime <= TimeSpan.Zero || BootstrapLifetime <= TimeSpan.Zero || LockoutWindow <= TimeSpan.Zero || SessionIdleTimeout <= TimeSpan.Zero)
        {
            yield return $"{SectionName}: InvitationLifetime, BootstrapLifetime, LockoutWindow and SessionIdleTimeout must be positive.";
        }

        if (MaxOpenInvitations < 1 || MaxFailedSignIns < 1 || MaxFailedSignInsPerAddress < MaxFailedSignIns)
        {
            yield return $"{SectionName}: MaxOpenInvitations and MaxFailedSignIns must be at least 1, MaxFailedSignInsPerAddress at least MaxFailedSignIns.";
        }
    }
}
