global using PostNext.SchedulerBenchmark.Measurement;
global using PostNext.SchedulerBenchmark.Results;
global using Xunit;
global using Xunit.Abstractions;
