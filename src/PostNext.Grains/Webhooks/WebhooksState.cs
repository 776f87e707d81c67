namespace PostNext.Grains.Webhooks;

/// <summary>A workspace's webhooks: a few subscriptions (at most <c>PostNext:Webhooks:MaxPerWorkspace</c>), so the state stays small.</summary>
[GenerateSerializer, Alias("PostNext.WebhooksState")]
public sealed class WebhooksState
{
    [Id(0)] public List<WebhookSubscription> Subscriptions { get; set; } = [];
}

[GenerateSerializer, Alias("PostNext.WebhookSubscription")]
public sealed class WebhookSubscription
{
    [Id(0)] public string Id { get; set; } = "";

    [Id(1)] public string Url { get; set; } = "";

    [Id(2)] public List<string> Events { get; set; } = [];

    /// <summary>The signing secret, encrypted with Data Protection; never returned by the API.</summary>
    [Id(3)] public string ProtectedSecret { get; set; } = "";

    [Id(4)] public DateTimeOffset CreatedAt { get; set; }

    /// <summary>The secret before the last rotation, encrypted; it signs too until <see cref="PreviousSecretExpiresAt"/>.</summary>
    [Id(5)] public string? PreviousProtectedSecret { get; set; }

    [Id(6)] public DateTimeOffset? PreviousSecretExpiresAt { get; set; }
}
