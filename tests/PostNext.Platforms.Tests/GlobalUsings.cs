global using PostNext.Abstractions.Platforms;
global using PostNext.Abstractions.Posts;
global using PostNext.Platforms.Rules;
global using Xunit;
