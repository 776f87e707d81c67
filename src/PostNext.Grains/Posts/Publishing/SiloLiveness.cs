namespace PostNext.Grains.Posts.Publishing;

/// <summary>
/// Tells whether the silo that holds an attempt's lease can still be running its platform call. Only certainty
/// counts: a silo the cluster declared dead, or one whose address came back under a newer generation (the old
/// process is gone: the port is the new one's). A silo that merely looks slow keeps its lease until the deadline.
/// </summary>
public sealed class SiloLiveness(ILocalSiloDetails local, IClusterMembershipService membership)
{
    /// <summary>This silo, as stored in a lease.</summary>
    public string Self => local.SiloAddress.ToParsableString();

    /// <summary>True when <paramref name="silo"/> (a lease's holder) certainly runs nothing any more.</summary>
    public bool IsGone(string silo)
    {
        if (!SiloAddress.TryParse(silo, out var holder))
        {
            return false;
        }

        if (holder.Equals(local.SiloAddress))
        {
            return false;
        }

        var snapshot = membership.CurrentSnapshot;
        if (snapshot.GetSiloStatus(holder) == SiloStatus.Dead)
        {
            return true;
        }

        foreach (var member in snapshot.Members.Keys)
        {
            if (holder.IsPredecessorOf(member))
            {
                return true;
            }
        }

        return false;
    }
}
