using System.Text.RegularExpressions;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.OpenApi;
using Microsoft.OpenApi;
using PostNext.Abstractions.Workspaces;
using PostNext.Api.Apis;
using PostNext.Api.Members;
using PostNext.ServiceDefaults.Security;

namespace PostNext.Api.Http;

/// <summary>
/// Makes <c>/openapi/v1.json</c> a document clients can be generated from: the bearer scheme and each operation's
/// key (operator, or a workspace key and its scope), every path parameter, the Idempotency-Key header, tag
/// descriptions, a license, and a server URL without a trailing slash.
/// </summary>
public static partial class OpenApiDocumentation
{
    public const string SchemeName = "bearer";
    public const string SessionSchemeName = "session";

    private static readonly Dictionary<string, string> TagDescriptions = new(StringComparer.Ordinal)
    {
        ["Workspaces"] = "Workspaces (operator) and their API keys with scopes.",
        ["Accounts"] = "Connected accounts: sandbox, imported tokens, OAuth connect and its callback, queues, limits.",
        ["Posts"] = "Write once, schedule to many accounts, follow each target to published, failed or canceled.",
        ["Calendar"] = "Every publication in a time range, in order, page by page.",
        ["Analytics"] = "Engagement reports, best times and each post's metrics history.",
        ["Webhooks"] = "Signed event deliveries to your receivers, their history, redelivery and secret rotation.",
        ["Cluster"] = "The silos of the cluster (operator).",
        ["Auth"] = "People: sign in with email and password (a session cookie), switch workspace, accept invitations.",
        ["Members"] = "A workspace's members with their roles (owner, editor, viewer), invitations, and the operator's bootstrap link.",
    };

    private static readonly Dictionary<string, string> ParameterDescriptions = new(StringComparer.Ordinal)
    {
        ["ws"] = "The workspace id (ws…).",
        ["keyId"] = "The API key id (key…).",
        ["accountId"] = "The account id (acc…).",
        ["postId"] = "The post id (post…).",
        ["webhookId"] = "The webhook id (wh…).",
        ["deliveryId"] = "The delivery id.",
        ["platform"] = "The platform: x, linkedin, facebook, instagram, tiktok or youtube.",
        ["userId"] = "The member's user id (usr…).",
        ["invitationId"] = "The invitation id (inv…).",
    };

    public static OpenApiOptions AddPostNextDocumentation(this OpenApiOptions options)
    {
        options.AddDocumentTransformer((document, context, _) =>
        {
            document.Info.Title = "PostNext API";
            document.Info.Description =
                "Schedule once, publish everywhere. Every request but the OAuth callback sends a key:\n\n" +
                "```http\nAuthorization: Bearer <key>\n```\n\n" +
                "The operator key manages workspaces; a workspace key (`pn_…`) reaches only its workspace, within its scopes: " +
                "`read` (every GET), `publish` (read, plus posts and queues) or `admin` (everything, keys, accounts and webhooks included). " +
                "Errors are RFC 9457 problem details.";
            document.Info.License = new OpenApiLicense { Name = "MIT", Identifier = "MIT" };
            document.Servers = [new OpenApiServer { Url = ServerUrl(context.ApplicationServices) }];
            document.Components ??= new OpenApiComponents();
            document.Components.SecuritySchemes ??= new Dictionary<string, IOpenApiSecurityScheme>();
            document.Components.SecuritySchemes[SchemeName] = new OpenApiSecurityScheme
            {
                Type = SecuritySchemeType.Http,
                Scheme = "bearer",
                Description = "The operator key, or a workspace key (pn_…) whose scopes (read, publish, admin) each operation names. " +
                              "Browsers may send a key as the Basic password instead (the dashboard).",
            };
            document.Components.SecuritySchemes[SessionSchemeName] = new OpenApiSecurityScheme
            {
                Type = SecuritySchemeType.ApiKey,
                In = ParameterLocation.Cookie,
                Name = SessionDefaults.Scheme,
                Description = "A person's session, set by sign-in: acts with the person's role in one workspace (viewer ≈ read, editor ≈ publish, " +
                              $"owner ≈ admin). Every state-changing call made with it sends the antiforgery token in {SessionDefaults.AntiforgeryHeader}.",
            };
            var used = (document.Paths ?? []).SelectMany(p => p.Value.Operations ?? []).SelectMany(o => o.Value.Tags ?? new HashSet<OpenApiTagReference>())
                .Select(t => t.Name).OfType<string>().ToHashSet(StringComparer.Ordinal);
            document.Tags = new HashSet<OpenApiTag>(
                used.Order(StringComparer.Ordinal).Select(name => new OpenApiTag { Name = name, Description = TagDescriptions.GetValueOrDefault(name, name) }));
            return Task.CompletedTask;
        });

        options.AddOperationTransformer((operation, context, _) =>
        {
            var metadata = context.Description.ActionDescriptor.EndpointMetadata;
            var path = context.Description.RelativePath ?? "";
            AddMissingPathParameters(operation, path);
            if (metadata.OfType<IAllowAnonymous>().Any())
            {
                operation.Security = [];
            }
            else if (metadata.OfType<IAuthorizeData>().Any(a => a.Policy == SessionDefaults.Scheme))
            {
                operation.Security = [new OpenApiSecurityRequirement { [new OpenApiSecuritySchemeReference(SessionSchemeName, context.Document)] = [] }];
                operation.Description = (operation.Description is { Length: > 0 } d ? d + "\n\n" : "") + "Needs a person's session (the PostNext.Session cookie).";
            }
            else
            {
                var role = Role(metadata, context.Description.HttpMethod ?? "GET");
                operation.Security = [new OpenApiSecurityRequirement { [new OpenApiSecuritySchemeReference(SchemeName, context.Document)] = [role] }];
                if (role != ApiKeyDefaults.OperatorRole)
                {
                    operation.Security.Add(new OpenApiSecurityRequirement { [new OpenApiSecuritySchemeReference(SessionSchemeName, context.Document)] = [] });
                }

                operation.Description = (operation.Description is { Length: > 0 } d ? d + "\n\n" : "") + (role == ApiKeyDefaults.OperatorRole
                    ? "Needs the operator key."
                    : $"Needs the operator key, a workspace key with the `{role}` scope, or a person's session with the `{WorkspaceRoles.ForScope(role)}` role.");
            }

            if (operation.OperationId == "CreatePost")
            {
                operation.Parameters ??= [];
                operation.Parameters.Add(new OpenApiParameter
                {
                    Name = PostsApi.IdempotencyHeader,
                    In = ParameterLocation.Header,
                    Required = false,
                    Description = $"Makes retries safe: the same key and body answer the first result (header Idempotent-Replayed: true); another body answers 409. At most {PostsApi.MaxIdempotencyKeyLength} characters.",
                    Schema = new OpenApiSchema { Type = JsonSchemaType.String, MaxLength = PostsApi.MaxIdempotencyKeyLength },
                });
            }

            return Task.CompletedTask;
        });
        return options;
    }

    /// <summary>The key an operation needs: operator, or the workspace scope.</summary>
    private static string Role(IList<object> metadata, string method)
    {
        if (metadata.OfType<IAuthorizeData>().Any(a => a.Policy == ApiKeyDefaults.OperatorPolicy))
        {
            return ApiKeyDefaults.OperatorRole;
        }

        return metadata.OfType<RequiredScopeMetadata>().LastOrDefault()?.Scope ?? WorkspaceAccess.DefaultScope(method);
    }

    private static void AddMissingPathParameters(OpenApiOperation operation, string path)
    {
        foreach (var name in RouteParameter().Matches(path).Select(m => m.Groups[1].Value))
        {
            operation.Parameters ??= [];
            if (operation.Parameters.FirstOrDefault(p => p.Name == name && p.In == ParameterLocation.Path) is OpenApiParameter existing)
            {
                existing.Description ??= ParameterDescriptions.GetValueOrDefault(name);
                continue;
            }

            operation.Parameters.Insert(0, new OpenApiParameter
            {
                Name = name,
                In = ParameterLocation.Path,
                Required = true,
                Description = ParameterDescriptions.GetValueOrDefault(name, name),
                Schema = new OpenApiSchema { Type = JsonSchemaType.String },
            });
        }
    }

    /// <summary>The address this document was asked on, without a trailing slash.</summary>
    private static string ServerUrl(IServiceProvider services)
    {
        var request = (services.GetService(typeof(IHttpContextAccessor)) as IHttpContextAccessor)?.HttpContext?.Request;
        return request is null ? "http://localhost:5080" : $"{request.Scheme}://{request.Host}{request.PathBase}".TrimEnd('/');
    }

    [GeneratedRegex(@"\{([A-Za-z0-9_]+)(?::[^}]*)?\}")]
    private static partial Regex RouteParameter();
}
