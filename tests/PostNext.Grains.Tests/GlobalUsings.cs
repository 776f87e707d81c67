global using Orleans;
global using Orleans.Runtime;
global using PostNext.Testing;
global using Xunit;
