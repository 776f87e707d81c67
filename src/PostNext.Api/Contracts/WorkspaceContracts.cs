namespace PostNext.Api.Contracts;

public sealed record CreateWorkspaceRequest(string? Name, string? TimeZone);

public sealed record WorkspaceResponse(string Id, string Name, string TimeZone, DateTimeOffset CreatedAt, IReadOnlyList<ApiKeyResponse> ApiKeys);

/// <summary>The answer to creating a workspace: the workspace and its first API key, shown this once.</summary>
public sealed record CreatedWorkspaceResponse(string Id, string Name, string TimeZone, DateTimeOffset CreatedAt, string ApiKey, ApiKeyResponse Key);

public sealed record ApiKeyResponse(string Id, string? Label, string Prefix, DateTimeOffset CreatedAt, DateTimeOffset? RevokedAt);

public sealed record CreateApiKeyRequest(string? Label);

/// <summary>A new key: <see cref="ApiKey"/> is its full value, shown this once.</summary>
public sealed record IssuedApiKeyResponse(string Id, string? Label, string Prefix, DateTimeOffset CreatedAt, string ApiKey);
