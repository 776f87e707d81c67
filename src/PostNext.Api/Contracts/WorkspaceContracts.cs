namespace PostNext.Api.Contracts;

public sealed record CreateWorkspaceRequest(string? Name, string? TimeZone);

public sealed record WorkspaceResponse(string Id, string Name, string TimeZone, DateTimeOffset CreatedAt, IReadOnlyList<ApiKeyResponse> ApiKeys);

/// <summary>The answer to creating a workspace: the workspace and its first API key, shown this once.</summary>
public sealed record CreatedWorkspaceResponse(string Id, string Name, string TimeZone, DateTimeOffset CreatedAt, string ApiKey, ApiKeyResponse Key);

/// <summary>A key as listed: never its secret. <c>scopes</c>: read, publish and/or admin.</summary>
public sealed record ApiKeyResponse(string Id, string? Label, string Prefix, DateTimeOffset CreatedAt, DateTimeOffset? RevokedAt, IReadOnlyList<string> Scopes);

/// <summary>A new key: an optional label and its scopes (<c>read</c>, <c>publish</c>, <c>admin</c>; default <c>["admin"]</c>).</summary>
public sealed record CreateApiKeyRequest(string? Label, IReadOnlyList<string?>? Scopes = null);

/// <summary>A new key: <see cref="ApiKey"/> is its full value, shown this once.</summary>
public sealed record IssuedApiKeyResponse(string Id, string? Label, string Prefix, DateTimeOffset CreatedAt, IReadOnlyList<string> Scopes, string ApiKey);
