using System.Data.Common;
using Npgsql;

namespace PostNext.Storage;

/// <summary>
/// Connection settings PostNext ships as defaults when the operator's connection string does not set them: statements
/// that run thousands of times a second are prepared once per connection instead of parsed and planned on every call
/// (<c>Max Auto Prepare</c>), and a pooled connection is handed back without a reset round trip (<c>No Reset On Close</c>;
/// PostNext never leaves session state behind). A connection string that names a setting keeps its value, so
/// behind a pooler that cannot hold prepared statements, <c>Max Auto Prepare=0</c> turns it off.
/// </summary>
public static class PostgresConnectionStrings
{
    public const int MaxAutoPrepare = 64;

    public static string WithDefaults(string connectionString)
    {
        var given = new DbConnectionStringBuilder { ConnectionString = connectionString };
        bool Names(params string[] keys) => keys.Any(k => given.Keys.Cast<string>().Any(g => string.Equals(Squash(g), Squash(k), StringComparison.OrdinalIgnoreCase)));

        var tuned = new NpgsqlConnectionStringBuilder(connectionString);
        if (!Names("Max Auto Prepare"))
        {
            tuned.MaxAutoPrepare = MaxAutoPrepare;
        }

        if (!Names("Auto Prepare Min Usages"))
        {
            tuned.AutoPrepareMinUsages = 2;
        }

        if (!Names("No Reset On Close"))
        {
            tuned.NoResetOnClose = true;
        }

        return tuned.ConnectionString;
    }

    private static string Squash(string key) => key.Replace(" ", "", StringComparison.Ordinal);
}
