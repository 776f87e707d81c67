global using PostNext.Abstractions.Platforms;
global using PostNext.Abstractions.Posts;
global using PostNext.Content.Rules;
global using Xunit;
