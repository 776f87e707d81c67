using System.Net.Http.Headers;
using System.Reflection;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using NJsonSchema.CodeGeneration.CSharp;
using NSwag;
using NSwag.CodeGeneration.CSharp;

namespace PostNext.Api.Tests.OpenApi;

/// <summary>A C# client generated from the host's own OpenAPI document (NSwag) compiles and calls the API with a workspace key.</summary>
[Collection(ApiCollection.Name)]
public sealed class OpenApiClientTests(ApiHost api)
{
    private const string Driver = """
        namespace Generated
        {
            public static class Driver
            {
                public static async System.Threading.Tasks.Task<string> GetWorkspaceNameAsync(System.Net.Http.HttpClient http, string ws)
                {
                    var client = new PostNextClient(http) { BaseUrl = http.BaseAddress!.ToString() };
                    var workspace = await client.GetWorkspaceAsync(ws);
                    return workspace.Name + " " + workspace.ApiKeys.Count;
                }
            }
        }
        """;

    [Fact]
    public async Task A_client_generated_from_the_document_compiles_and_reads_a_workspace_with_its_path_parameter()
    {
        var document = await OpenApiDocument.FromJsonAsync(await api.Http.GetStringAsync("openapi/v1.json"));
        var code = new CSharpClientGenerator(document, new CSharpClientGeneratorSettings
        {
            ClassName = "PostNextClient",
            GenerateClientInterfaces = false,
            UseBaseUrl = true,
            CSharpGeneratorSettings = { Namespace = "Generated", JsonLibrary = CSharpJsonLibrary.SystemTextJson },
        }).GenerateFile();
        var assembly = Compile(code, Driver);
        var (ws, key) = await api.CreateWorkspaceAsync();
        using var http = new HttpClient { BaseAddress = api.Http.BaseAddress };
        http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", key);

        var call = (Task<string>)assembly.GetType("Generated.Driver")!.GetMethod("GetWorkspaceNameAsync")!.Invoke(null, [http, ws])!;

        Assert.Equal("Acme 1", await call);
    }

    private static Assembly Compile(params string[] sources)
    {
        var references = ((string)AppContext.GetData("TRUSTED_PLATFORM_ASSEMBLIES")!)
            .Split(Path.PathSeparator)
            .Select(path => MetadataReference.CreateFromFile(path));
        var compilation = CSharpCompilation.Create(
            "PostNext.GeneratedClient",
            sources.Select(s => CSharpSyntaxTree.ParseText(s)),
            references,
            new CSharpCompilationOptions(OutputKind.DynamicallyLinkedLibrary, nullableContextOptions: NullableContextOptions.Enable));
        using var image = new MemoryStream();
        var emitted = compilation.Emit(image);
        var errors = emitted.Diagnostics.Where(d => d.Severity == DiagnosticSeverity.Error).Take(20).Select(d => d.ToString());
        Assert.True(emitted.Success, "The generated client does not compile:\n" + string.Join("\n", errors));
        return Assembly.Load(image.ToArray());
    }
}
