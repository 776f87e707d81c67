using Orleans.Concurrency;
using PostNext.Abstractions.Accounts;
using PostNext.Platforms;

namespace PostNext.Grains.Accounts;

/// <summary>
/// Reads an account's publishing choices from its platform. A stateless worker: a slow platform holds neither the
/// account grain nor other posts' checks.
/// </summary>
[StatelessWorker]
public sealed class PublishingChoicesGrain(PlatformConnectors connectors) : Grain, IPublishingChoicesGrain
{
    async Task<PublishingChoicesResult> IPublishingChoicesGrain.ReadAsync()
    {
        var account = await GrainFactory.GetGrain<IAccountGrain>(this.GetPrimaryKeyString()).GetPublishingIdentityAsync();
        if (account is null || connectors.Find(account.Platform) is not { } connector)
        {
            return PublishingChoicesResult.NothingToCheck;
        }

        try
        {
            return await connector.ReadPublishingChoicesAsync(account, CancellationToken.None) is { } choices
                ? new PublishingChoicesResult(choices)
                : PublishingChoicesResult.NothingToCheck;
        }
        catch (Exception ex) when (!AccountCallFailures.IsFatal(ex))
        {
            return new PublishingChoicesResult(null, AccountCallFailures.Classify(ex, "publishing choices").Message);
        }
    }
}
