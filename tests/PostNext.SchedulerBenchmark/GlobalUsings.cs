global using Npgsql;
global using PostNext.Chaos;
global using PostNext.Chaos.Processes;
global using PostNext.SchedulerBenchmark.Measurement;
global using PostNext.SchedulerBenchmark.Results;
global using PostNext.SchedulerBenchmark.Schedulers;
