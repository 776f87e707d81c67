global using System.Net;
global using System.Net.Http.Json;
global using System.Text.Json.Nodes;
global using Microsoft.Playwright;
global using PostNext.Testing;
global using Xunit;
global using Orleans;
