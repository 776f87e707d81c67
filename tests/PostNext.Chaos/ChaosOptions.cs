using System.Globalization;

namespace PostNext.Chaos;

/// <summary>
/// What one chaos run does. The defaults are the full run of issue #10; <see cref="Small"/> is the form CI runs
/// inside <c>dotnet test</c>. Every field has a command-line option (see <see cref="Usage"/>).
/// </summary>
public sealed record ChaosOptions
{
    /// <summary>Single-target posts created through the API.</summary>
    public int Posts { get; init; } = 10_000;

    /// <summary>Sandbox accounts the posts are spread over (round robin), with a mix of fault behaviours.</summary>
    public int Accounts { get; init; } = 200;

    /// <summary>The posts fall due over this window.</summary>
    public TimeSpan Window { get; init; } = TimeSpan.FromMinutes(2);

    /// <summary>Share of the posts due at one single instant; the rest are spread evenly over the window.</summary>
    public double InstantShare { get; init; } = 0.5;

    /// <summary>Where in the window the instant is, as a fraction of it (0 = its start).</summary>
    public double InstantAt { get; init; } = 0.5;

    /// <summary>Silo processes in the cluster.</summary>
    public int Silos { get; init; } = 3;

    /// <summary>A random silo is SIGKILLed this often, from the end of the intake until the window ends; zero: no kills.</summary>
    public TimeSpan KillEvery { get; init; } = TimeSpan.FromSeconds(20);

    /// <summary>How long a killed silo stays down before it is started again (same ports).</summary>
    public TimeSpan RestartAfter { get; init; } = TimeSpan.FromSeconds(3);

    /// <summary>When PostgreSQL is restarted in immediate mode, after the window start; null: not restarted.</summary>
    public TimeSpan? PostgresRestartAt { get; init; } = TimeSpan.FromSeconds(70);

    /// <summary>
    /// After the last due time, how long targets may take to become final before they count as stuck: 3 minutes, plus
    /// what the shipped retry schedule may take (transient retries after 30, 60, 120 and 240 s, +20 % jitter: 9 minutes).
    /// Only a bound: the wait ends as soon as every target is final.
    /// </summary>
    public TimeSpan Grace { get; init; } = TimeSpan.FromMinutes(12);

    /// <summary>After the targets are final, how long webhook deliveries may take to arrive.</summary>
    public TimeSpan WebhookGrace { get; init; } = TimeSpan.FromMinutes(6);

    /// <summary>Share of the calls a faulty sandbox account answers with its fault (503, 429, lost answer).</summary>
    public double FaultRate { get; init; } = 0.08;

    /// <summary>The reset a sandbox 429 reports.</summary>
    public int RateLimitResetSeconds { get; init; } = 30;

    /// <summary>Seed of every random choice of the run (accounts, due times, which silo dies), printed in the report.</summary>
    public int Seed { get; init; } = Random.Shared.Next(1, 1_000_000);

    /// <summary>Which build of the silo and the front to run (bin/&lt;Configuration&gt;).</summary>
    public string Configuration { get; init; } = BuildConfiguration;

    /// <summary>Requests the load sends at once.</summary>
    public int Concurrency { get; init; } = 12;

    /// <summary>Where logs and the report go; default a new directory under the temp directory.</summary>
    public string? RunDirectory { get; init; }

    /// <summary>Keep the run directory (logs, report); otherwise it is deleted when the run met its goals.</summary>
    public bool Keep { get; init; } = true;

    /// <summary>
    /// Settings passed to every silo on top of the shipped defaults, to make a run finish in time (printed in the
    /// report). Empty in the full run: it tests what users get.
    /// </summary>
    public IReadOnlyList<KeyValuePair<string, string>> ChaosSettings { get; init; } = [];

    /// <summary>The build configuration of this assembly, so the test runs the silo it was built with.</summary>
    public const string BuildConfiguration =
#if DEBUG
        "Debug";
#else
        "Release";
#endif

    /// <summary>The small form CI runs inside <c>dotnet test</c>: a few minutes on two cores.</summary>
    public static ChaosOptions Small() => new()
    {
        Posts = 300,
        Accounts = 30,
        Window = TimeSpan.FromSeconds(30),
        KillEvery = TimeSpan.FromSeconds(15),
        PostgresRestartAt = TimeSpan.FromSeconds(18),
        // Bounds only: the wait ends as soon as everything is final, so a busy CI machine gets room without slowing a
        // good run. 3 minutes also cover the shortened retry schedule (5, 10, 20 and 40 s, +20 % jitter).
        Grace = TimeSpan.FromSeconds(180),
        WebhookGrace = TimeSpan.FromSeconds(60),
        RateLimitResetSeconds = 10,
        Concurrency = 8,
        Keep = false,
        ChaosSettings =
        [
            // The durable retries tick every minute by default; a 30-second window would spend most of its grace waiting.
            new("PostNext:Scheduling:ReminderPeriod", "00:00:15"),
            new("PostNext:Scheduling:RetryBaseDelay", "00:00:05"),
            new("PostNext:Scheduling:ReconcileDelay", "00:00:05"),
            new("PostNext:Scheduling:SweepPeriod", "00:00:15"),
            new("PostNext:Scheduling:SweepGrace", "00:00:30"),
            new("PostNext:Webhooks:ReminderPeriod", "00:00:15"),
        ],
    };

    public const string Usage = """
        PostNext chaos suite: 3 silos + the API front + a throwaway PostgreSQL, loaded through the API while silos die.

          --small                  the CI form (300 posts, 30 accounts, 30 s window, shortened timers); later options override it
          --posts N                posts (one target each)                           default 10000
          --accounts N             sandbox accounts                                  default 200
          --window SECONDS         the posts fall due over this window              default 120
          --instant-share X        share of posts due at one instant                 default 0.5
          --instant-at X           where the instant is in the window (0..1)         default 0.5
          --silos N                silo processes                                    default 3
          --kill-every SECONDS     SIGKILL a random silo this often (0: never)       default 20
          --restart-after SECONDS  a killed silo restarts after this pause           default 3
          --pg-restart-at SECONDS  restart PostgreSQL (immediate) this long after the window start (-1: never)  default 70
          --grace SECONDS          after the window, time to become final           default 720
          --webhook-grace SECONDS  then, time for webhook deliveries                 default 360
          --fault-rate X           share of calls a faulty sandbox account fails     default 0.08
          --rate-limit-reset S     reset a sandbox 429 reports                       default 30
          --seed N                 seed of every random choice                       default random (printed)
          --configuration NAME     Debug or Release build of the silo and the front  default this build's
          --concurrency N          requests in flight during the intake              default 12
          --run-dir PATH           logs and report here                              default a new temp directory
          --keep / --no-keep       keep the run directory (default: keep)
          --set KEY=VALUE          an extra setting for every silo (repeatable), reported as a chaos setting
        """;

    /// <summary>Reads command-line options; null with <paramref name="error"/> set when they are wrong.</summary>
    public static ChaosOptions? Parse(IReadOnlyList<string> args, out string? error)
    {
        error = null;
        var options = args.Contains("--small") ? Small() : new ChaosOptions();
        var settings = new List<KeyValuePair<string, string>>(options.ChaosSettings);
        for (var i = 0; i < args.Count; i++)
        {
            var name = args[i];
            if (name is "--small")
            {
                continue;
            }

            if (name is "--keep" or "--no-keep")
            {
                options = options with { Keep = name == "--keep" };
                continue;
            }

            if (i + 1 >= args.Count)
            {
                error = $"{name} needs a value.";
                return null;
            }

            var value = args[++i];
            try
            {
                options = name switch
                {
                    "--posts" => options with { Posts = Positive(value) },
                    "--accounts" => options with { Accounts = Positive(value) },
                    "--window" => options with { Window = Seconds(value) },
                    "--instant-share" => options with { InstantShare = Share(value) },
                    "--instant-at" => options with { InstantAt = Share(value) },
                    "--silos" => options with { Silos = Positive(value) },
                    "--kill-every" => options with { KillEvery = Seconds(value) },
                    "--restart-after" => options with { RestartAfter = Seconds(value) },
                    "--pg-restart-at" => options with { PostgresRestartAt = double.Parse(value, CultureInfo.InvariantCulture) < 0 ? null : Seconds(value) },
                    "--grace" => options with { Grace = Seconds(value) },
                    "--webhook-grace" => options with { WebhookGrace = Seconds(value) },
                    "--fault-rate" => options with { FaultRate = Share(value) },
                    "--rate-limit-reset" => options with { RateLimitResetSeconds = Positive(value) },
                    "--seed" => options with { Seed = int.Parse(value, CultureInfo.InvariantCulture) },
                    "--configuration" => options with { Configuration = value },
                    "--concurrency" => options with { Concurrency = Positive(value) },
                    "--run-dir" => options with { RunDirectory = Path.GetFullPath(value) },
                    "--set" => AddSetting(options, settings, value),
                    _ => throw new FormatException($"unknown option {name}"),
                };
            }
            catch (Exception ex) when (ex is FormatException or OverflowException or ArgumentException)
            {
                error = $"{name} {value}: {ex.Message}";
                return null;
            }
        }

        return options;
    }

    private static ChaosOptions AddSetting(ChaosOptions options, List<KeyValuePair<string, string>> settings, string value)
    {
        var equals = value.IndexOf('=', StringComparison.Ordinal);
        if (equals <= 0)
        {
            throw new FormatException("expected KEY=VALUE");
        }

        settings.RemoveAll(s => s.Key == value[..equals]);
        settings.Add(new(value[..equals], value[(equals + 1)..]));
        return options with { ChaosSettings = settings.ToList() };
    }

    private static int Positive(string value)
    {
        var number = int.Parse(value, CultureInfo.InvariantCulture);
        return number > 0 ? number : throw new FormatException("must be positive");
    }

    private static double Share(string value)
    {
        var share = double.Parse(value, CultureInfo.InvariantCulture);
        return share is >= 0 and <= 1 ? share : throw new FormatException("must be between 0 and 1");
    }

    private static TimeSpan Seconds(string value)
    {
        var seconds = double.Parse(value, CultureInfo.InvariantCulture);
        return seconds >= 0 ? TimeSpan.FromSeconds(seconds) : throw new FormatException("must not be negative");
    }
}
