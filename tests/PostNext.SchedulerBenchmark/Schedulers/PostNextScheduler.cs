using System.Globalization;
using PostNext.Chaos.Load;

namespace PostNext.SchedulerBenchmark.Schedulers;

/// <summary>
/// PostNext through its public HTTP API: one workspace, one sandbox account without latency (the trivial job body:
/// the sandbox records a receipt row), N single-target posts due at one instant, each created with its own
/// Idempotency-Key by <c>concurrency</c> parallel requests. A job ran when its first sandbox receipt was recorded.
/// </summary>
public sealed class PostNextScheduler(PostNextSilo silo, string connectionString, string database, int concurrency) : ISchedulerUnderTest
{
    public const string ReceiptTable = "postnext_sandbox_received";

    private readonly FrontClient _api = new(silo.Address, concurrency);
    private readonly string _runId = Convert.ToHexStringLower(Guid.NewGuid().ToByteArray()[..4]);
    private (string Workspace, string Key, string Account)? _target;

    public string Name => "postnext";

    public string Database => database;

    public IReadOnlyList<string> Configuration =>
    [
        .. silo.Configuration,
        $"jobs: single-target sandbox posts (latencyMs 0) in one workspace, created through POST /v1/workspaces/{{ws}}/posts with an Idempotency-Key, {concurrency} concurrent requests",
        $"a job ran = its first row in {ReceiptTable} (received_at, the silo's clock)",
    ];

    public RunSource Runs => _target is { } target
        ? new RunSource(connectionString, ReceiptTable, $"SELECT publication_key, received_at FROM {ReceiptTable} WHERE account_id = $1", target.Account)
        : throw new InvalidOperationException("Not started.");

    public int? ProcessId => silo.ProcessId;

    public PostNextSilo Silo => silo;

    public async Task StartAsync(CancellationToken cancellationToken)
    {
        await silo.StartAsync(cancellationToken);
        _target = await CreateWorkspaceAsync("bench", cancellationToken);
    }

    public async Task<Registration> RegisterAsync(int jobs, TimeSpan lead, CancellationToken cancellationToken)
    {
        var (ws, key, account) = _target ?? throw new InvalidOperationException("Not started.");
        var startedAt = DateTimeOffset.UtcNow;
        var due = startedAt + lead;
        var keys = new string[jobs];
        var retriesBefore = _api.Retries;
        await ForEachAsync(jobs, async (i, ct) =>
        {
            var post = await _api.CreatePostAsync(ws, key, account, Text(i), due, $"bench-{_runId}-{i}", ct);
            keys[i] = $"{post["id"]!.GetValue<string>()}~{account}";
        }, cancellationToken);
        return new Registration(keys, due, startedAt, DateTimeOffset.UtcNow, _api.Retries - retriesBefore);
    }

    /// <summary>
    /// API intake on a warm silo (after the due instant): <paramref name="posts"/> posts into one workspace, then
    /// <paramref name="posts"/> more across <paramref name="workspaces"/> workspaces (each with its key and one sandbox
    /// account, made first, untimed), created round-robin. All are due <paramref name="dueIn"/> from now, so none is
    /// published during the run. The registration before the instant measures a cold silo (its code not yet compiled
    /// by the JIT's optimizing tier): these two measure the rate a running silo sustains.
    /// </summary>
    public async Task<IntakeResult> MeasureIntakeAsync(int workspaces, int posts, TimeSpan dueIn, CancellationToken cancellationToken)
    {
        var one = await CreatePostsAsync([await CreateWorkspaceAsync("intake-one", cancellationToken)], posts, _ => DateTimeOffset.UtcNow + dueIn, "intake-one", cancellationToken);
        var targets = new (string Workspace, string Key, string Account)[workspaces];
        await Parallel.ForEachAsync(Enumerable.Range(0, workspaces), new ParallelOptions { MaxDegreeOfParallelism = 8, CancellationToken = cancellationToken },
            async (i, ct) => targets[i] = await CreateWorkspaceAsync($"intake{i}", ct));
        var created = await CreatePostsAsync(targets, posts, _ => DateTimeOffset.UtcNow + dueIn, "intake", cancellationToken);
        return new IntakeResult(workspaces, posts, concurrency, created.TotalSeconds, posts / created.TotalSeconds, one.TotalSeconds, posts / one.TotalSeconds);
    }

    /// <summary>Creates <paramref name="posts"/> posts round-robin across <paramref name="targets"/>, due at <paramref name="dueAt"/>(index); returns how long it took.</summary>
    public async Task<TimeSpan> CreatePostsAsync(
        IReadOnlyList<(string Workspace, string Key, string Account)> targets, int posts, Func<int, DateTimeOffset> dueAt, string label,
        CancellationToken cancellationToken, Action<int>? progress = null)
    {
        var started = DateTimeOffset.UtcNow;
        var done = 0;
        await ForEachAsync(posts, async (i, ct) =>
        {
            var (ws, key, account) = targets[i % targets.Count];
            await _api.CreatePostAsync(ws, key, account, Text(i), dueAt(i), $"{label}-{_runId}-{i}", ct);
            progress?.Invoke(Interlocked.Increment(ref done));
        }, cancellationToken);
        return DateTimeOffset.UtcNow - started;
    }

    /// <summary>A workspace (its id and API key) with one sandbox account that answers at once.</summary>
    public async Task<(string Workspace, string Key, string Account)> CreateWorkspaceAsync(string handle, CancellationToken cancellationToken)
    {
        var workspace = await _api.CreateWorkspaceAsync(silo.OperatorKey, cancellationToken);
        var ws = workspace["id"]!.GetValue<string>();
        var key = workspace["apiKey"]!.GetValue<string>();
        var account = await _api.CreateAccountAsync(ws, key, new PlannedAccount(0, AccountKind.Plain, new { latencyMs = 0 }), cancellationToken);
        return (ws, key, account["id"]!.GetValue<string>());
    }

    public async ValueTask DisposeAsync()
    {
        _api.Dispose();
        await silo.DisposeAsync();
    }

    private static string Text(int index) => string.Create(CultureInfo.InvariantCulture, $"Benchmark post {index}");

    private Task ForEachAsync(int count, Func<int, CancellationToken, Task> body, CancellationToken cancellationToken) =>
        Parallel.ForEachAsync(Enumerable.Range(0, count), new ParallelOptions { MaxDegreeOfParallelism = concurrency, CancellationToken = cancellationToken },
            async (i, ct) => await body(i, ct));
}

/// <summary>
/// Posts created per second through the API on a warm silo: <see cref="Posts"/> across <see cref="Workspaces"/>
/// workspaces (<see cref="PerSecond"/>) and as many into one workspace (<see cref="OneWorkspacePerSecond"/>).
/// </summary>
public sealed record IntakeResult(
    int Workspaces, int Posts, int Concurrency, double Seconds, double PerSecond, double OneWorkspaceSeconds, double OneWorkspacePerSecond);
