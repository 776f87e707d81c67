using System.Reflection;
using System.Security.Cryptography;
using System.Text;

namespace PostNext.Storage.Migrations;

/// <summary>One versioned schema file from <c>deploy/sql</c>, named <c>NNNN_description.sql</c>.</summary>
public sealed record Migration(int Version, string Name, string Sql)
{
    private const string ResourcePrefix = "PostNext.Migrations.";

    /// <summary>SHA-256 of the file, so an applied file that was edited afterwards is noticed.</summary>
    public string Checksum { get; } = Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(Sql)));

    /// <summary>Every migration embedded in this assembly, in version order.</summary>
    public static IReadOnlyList<Migration> LoadEmbedded()
    {
        var assembly = typeof(Migration).Assembly;
        var migrations = assembly.GetManifestResourceNames()
            .Where(name => name.StartsWith(ResourcePrefix, StringComparison.Ordinal) && name.EndsWith(".sql", StringComparison.Ordinal))
            .Select(name => Load(assembly, name))
            .OrderBy(migration => migration.Version)
            .ToList();

        var duplicate = migrations.GroupBy(m => m.Version).FirstOrDefault(g => g.Count() > 1);
        if (duplicate is not null)
        {
            throw new InvalidOperationException($"Two migrations share version {duplicate.Key}: {string.Join(", ", duplicate.Select(m => m.Name))}.");
        }

        return migrations;
    }

    private static Migration Load(Assembly assembly, string resourceName)
    {
        var fileName = resourceName[ResourcePrefix.Length..];
        var underscore = fileName.IndexOf('_', StringComparison.Ordinal);
        if (underscore <= 0 || !int.TryParse(fileName[..underscore], out var version))
        {
            throw new InvalidOperationException($"Migration '{fileName}' must be named NNNN_description.sql.");
        }

        using var stream = assembly.GetManifestResourceStream(resourceName)!;
        using var reader = new StreamReader(stream, Encoding.UTF8);
        return new Migration(version, Path.GetFileNameWithoutExtension(fileName), reader.ReadToEnd());
    }
}
