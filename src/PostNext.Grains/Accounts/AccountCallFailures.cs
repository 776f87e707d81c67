using System.Text.Json;
using Polly.Timeout;
using PostNext.Abstractions.Posts;
using PostNext.Platforms.Common;

namespace PostNext.Grains.Accounts;

/// <summary>
/// Whatever a connector throws during an account's own calls to its platform (token refresh, code exchange, revoke),
/// as one classified error: the platform's classification when it gave one, else transient. The message is safe to
/// store and log: it holds the exception type and transport or parser messages, never a response body or a token.
/// </summary>
internal static class AccountCallFailures
{
    /// <summary>Failures no classification can help with; everything else ends classified.</summary>
    public static bool IsFatal(Exception exception) => exception is OutOfMemoryException or InsufficientExecutionStackException;

    /// <summary>The error for an exception thrown by a <paramref name="call"/> ("token refresh", "connection", …).</summary>
    public static PlatformError Classify(Exception exception, string call) => exception switch
    {
        PlatformException platform => platform.Error,
        PlatformNotConfiguredException => Transient(exception.Message),
        JsonException => Transient($"The platform's answer to the {call} could not be read: {exception.Message}"),
        TimeoutRejectedException or TimeoutException or OperationCanceledException =>
            Transient($"The platform did not answer the {call} within the request timeout."),
        HttpRequestException or IOException => Transient($"The platform could not be reached for the {call}: {exception.Message}"),
        _ => Transient($"The {call} failed unexpectedly ({exception.GetType().Name})."),
    };

    private static PlatformError Transient(string message) => new(ErrorCategory.Transient, message);
}
