using System.Diagnostics;
using System.Runtime.InteropServices;
using Npgsql;

namespace PostNext.Testing;

/// <summary>
/// A private, throwaway PostgreSQL server for one test run: initdb into a temp directory, a free loopback port,
/// trust authentication, stopped and deleted on dispose. When <c>POSTNEXT_TEST_POSTGRES</c> holds a connection string,
/// that server is used instead. When no PostgreSQL is installed the tests fail, naming the package to install.
/// </summary>
public sealed class PostgresServer : IAsyncDisposable
{
    /// <summary>Environment variable with an admin connection string to use instead of a private server.</summary>
    public const string ConnectionStringVariable = "POSTNEXT_TEST_POSTGRES";

    private readonly string? _dataRoot;
    private readonly string? _binDirectory;
    private readonly bool _asPostgresUser;
    private readonly string _serverOptions;
    private int _databaseCounter;

    private PostgresServer(string adminConnectionString, string? dataRoot, string? binDirectory, bool asPostgresUser, string serverOptions = "")
    {
        AdminConnectionString = adminConnectionString;
        _dataRoot = dataRoot;
        _binDirectory = binDirectory;
        _asPostgresUser = asPostgresUser;
        _serverOptions = serverOptions;
    }

    /// <summary>Connects to the <c>postgres</c> database as a superuser.</summary>
    public string AdminConnectionString { get; }

    /// <summary>True when this server was started here (and can be restarted); false for <c>POSTNEXT_TEST_POSTGRES</c>.</summary>
    public bool IsPrivate => _dataRoot is not null;

    /// <summary>The server's log file (private servers only).</summary>
    public string? LogPath => _dataRoot is null ? null : Path.Combine(_dataRoot, "server.log");

    public static Task<PostgresServer> StartAsync() => StartAsync(maxConnections: 300, allowExternal: true);

    /// <summary>
    /// Starts a private server allowing <paramref name="maxConnections"/>; with <paramref name="allowExternal"/>,
    /// the server in <c>POSTNEXT_TEST_POSTGRES</c> is used instead when that is set. A <paramref name="durable"/>
    /// server keeps every acknowledged commit through a crash (fsync and synchronous commit on), as any real
    /// deployment does: needed when a test crashes the server (an immediate-mode restart); the others run faster without.
    /// </summary>
    public static async Task<PostgresServer> StartAsync(int maxConnections, bool allowExternal, bool durable = false)
    {
        var external = Environment.GetEnvironmentVariable(ConnectionStringVariable);
        if (allowExternal && !string.IsNullOrWhiteSpace(external))
        {
            return new PostgresServer(external, null, null, false);
        }

        var bin = FindBinDirectory() ?? throw new InvalidOperationException(
            "PostgreSQL server binaries (initdb, pg_ctl) were not found. Install the Debian package 'postgresql' " +
            "(apt-get update && apt-get install -y postgresql), or set " + ConnectionStringVariable + " to a connection string.");

        var asPostgresUser = IsRoot();
        var root = Path.Combine(Path.GetTempPath(), "postnext-pg-" + Guid.NewGuid().ToString("N")[..12]);
        Directory.CreateDirectory(root);
        var data = Path.Combine(root, "data");
        if (asPostgresUser)
        {
            await RunAsync("chown", ["-R", "postgres:postgres", root], asPostgresUser: false);
        }

        var port = FreePort.Next();
        var server = new PostgresServer(
            $"Host=127.0.0.1;Port={port};Username=postgres;Database=postgres;Pooling=true;Timeout=15;Command Timeout=60",
            root, bin, asPostgresUser,
            $"-p {port} -k {root} -c listen_addresses=127.0.0.1 " +
            (durable ? "-c fsync=on -c synchronous_commit=on -c full_page_writes=on" : "-c fsync=off -c synchronous_commit=off -c full_page_writes=off") +
            $" -c max_connections={maxConnections}");
        try
        {
            await RunAsync(Path.Combine(bin, "initdb"), ["-D", data, "-U", "postgres", "-A", "trust", "-E", "UTF8", "--no-sync", "--locale=C"], asPostgresUser);
            await server.PgCtlAsync("start");
        }
        catch
        {
            await server.DisposeAsync();
            throw;
        }

        return server;
    }

    /// <summary>
    /// Restarts the private server on the same port and data directory. <paramref name="immediate"/> aborts every
    /// session and skips the shutdown checkpoint (crash recovery on start), as a host losing power would.
    /// </summary>
    public async Task RestartAsync(bool immediate = true)
    {
        if (!IsPrivate)
        {
            throw new InvalidOperationException($"Only a private server can be restarted ({ConnectionStringVariable} is in use).");
        }

        await PgCtlAsync("restart", "-m", immediate ? "immediate" : "fast");
        NpgsqlConnection.ClearAllPools();
    }

    /// <summary>
    /// Makes sure the private server is stopped and its files deleted even if this process dies without disposing it
    /// (SIGKILL, a killed test host): a detached watcher waits for this process to exit, then stops and deletes.
    /// </summary>
    public void StopWhenThisProcessExits()
    {
        if (!IsPrivate)
        {
            return;
        }

        var pgCtl = Path.Combine(_binDirectory!, "pg_ctl");
        var stop = _asPostgresUser ? $"runuser -u postgres -- {pgCtl}" : pgCtl;
        // Output to /dev/null first: its pipes lead to this process, and once it is gone a write would end the watcher.
        var script = $"exec >/dev/null 2>&1; while kill -0 \"$1\"; do sleep 2; done; {stop} -D \"$2\" -m immediate -w stop; rm -rf \"$3\"";
        var start = new ProcessStartInfo("setsid")
        {
            UseShellExecute = false,
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        foreach (var arg in new[] { "sh", "-c", script, "postgres-watch", Environment.ProcessId.ToString(System.Globalization.CultureInfo.InvariantCulture), Path.Combine(_dataRoot!, "data"), _dataRoot! })
        {
            start.ArgumentList.Add(arg);
        }

        using var watcher = Process.Start(start);
    }

    /// <summary>Creates a new, empty database and returns a connection string for it.</summary>
    public async Task<string> CreateDatabaseAsync(string prefix = "postnext")
    {
        var name = $"{prefix}_{Environment.ProcessId}_{Interlocked.Increment(ref _databaseCounter)}_{Guid.NewGuid().ToString("N")[..6]}".ToLowerInvariant();
        await using (var connection = new NpgsqlConnection(AdminConnectionString))
        {
            await connection.OpenAsync();
            await using var command = new NpgsqlCommand($"CREATE DATABASE \"{name}\"", connection);
            await command.ExecuteNonQueryAsync();
        }

        return new NpgsqlConnectionStringBuilder(AdminConnectionString) { Database = name }.ConnectionString;
    }

    /// <summary>A plain-SQL dump of one database (pg_dump), to check what is stored at rest.</summary>
    public async Task<string> DumpAsync(string connectionString)
    {
        var builder = new NpgsqlConnectionStringBuilder(connectionString);
        var pgDump = _binDirectory is null ? "pg_dump" : Path.Combine(_binDirectory, "pg_dump");
        var start = new ProcessStartInfo(pgDump)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var arg in new[] { "-h", builder.Host!, "-p", builder.Port.ToString(System.Globalization.CultureInfo.InvariantCulture), "-U", builder.Username ?? "postgres", "--no-owner", builder.Database! })
        {
            start.ArgumentList.Add(arg);
        }

        if (builder.Password is { } password)
        {
            start.Environment["PGPASSWORD"] = password;
        }

        using var process = Process.Start(start)!;
        var output = process.StandardOutput.ReadToEndAsync();
        var error = process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync();
        if (process.ExitCode != 0)
        {
            throw new InvalidOperationException($"pg_dump failed: {await error}");
        }

        return await output;
    }

    public async ValueTask DisposeAsync()
    {
        NpgsqlConnection.ClearAllPools();
        if (_dataRoot is null || _binDirectory is null)
        {
            return;
        }

        var data = Path.Combine(_dataRoot, "data");
        if (Directory.Exists(Path.Combine(data, "global")))
        {
            try
            {
                await RunAsync(Path.Combine(_binDirectory, "pg_ctl"), ["-D", data, "-m", "immediate", "-w", "stop"], _asPostgresUser);
            }
            catch (InvalidOperationException)
            {
                // Already stopped; nothing to do.
            }
        }

        try
        {
            Directory.Delete(_dataRoot, recursive: true);
        }
        catch (IOException)
        {
            // A leftover temp directory is harmless.
        }
    }

    private Task PgCtlAsync(string action, params string[] extra) =>
        RunAsync(Path.Combine(_binDirectory!, "pg_ctl"),
            ["-D", Path.Combine(_dataRoot!, "data"), "-l", LogPath!, "-w", "-t", "60", "-o", _serverOptions, .. extra, action], _asPostgresUser);

    private static string? FindBinDirectory()
    {
        var candidates = new List<string>();
        if (Directory.Exists("/usr/lib/postgresql"))
        {
            candidates.AddRange(Directory.GetDirectories("/usr/lib/postgresql")
                .OrderByDescending(d => int.TryParse(Path.GetFileName(d), out var v) ? v : 0)
                .Select(d => Path.Combine(d, "bin")));
        }

        candidates.AddRange((Environment.GetEnvironmentVariable("PATH") ?? "").Split(Path.PathSeparator, StringSplitOptions.RemoveEmptyEntries));
        return candidates.FirstOrDefault(dir => File.Exists(Path.Combine(dir, "initdb")) && File.Exists(Path.Combine(dir, "pg_ctl")));
    }

    private static bool IsRoot() => RuntimeInformation.IsOSPlatform(OSPlatform.Linux) && Environment.UserName == "root";

    private static async Task RunAsync(string file, IReadOnlyList<string> arguments, bool asPostgresUser)
    {
        var start = new ProcessStartInfo
        {
            FileName = asPostgresUser ? "runuser" : file,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
            WorkingDirectory = Path.GetTempPath(),
        };
        if (asPostgresUser)
        {
            foreach (var arg in new[] { "-u", "postgres", "--", file })
            {
                start.ArgumentList.Add(arg);
            }
        }

        foreach (var arg in arguments)
        {
            start.ArgumentList.Add(arg);
        }

        using var process = Process.Start(start) ?? throw new InvalidOperationException($"Could not start {file}.");
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(2));
        await process.WaitForExitAsync(timeout.Token);
        if (process.ExitCode != 0)
        {
            throw new InvalidOperationException(
                $"{Path.GetFileName(file)} {string.Join(' ', arguments)} exited with {process.ExitCode}: {await stderr}{await stdout}");
        }
    }
}
