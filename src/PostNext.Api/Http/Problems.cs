using Microsoft.AspNetCore.Http;

namespace PostNext.Api.Http;

/// <summary>RFC 9457 problem details for every error the API returns.</summary>
public static class Problems
{
    public static IResult NotFound(string what) =>
        TypedResults.Problem(statusCode: StatusCodes.Status404NotFound, title: "Not found", detail: $"{what} was not found.");

    public static IResult Conflict(string detail, object? current = null) => TypedResults.Problem(
        statusCode: StatusCodes.Status409Conflict, title: "Conflict", detail: detail,
        extensions: current is null ? null : new Dictionary<string, object?> { ["current"] = current });

    public static IResult Forbidden(string detail) =>
        TypedResults.Problem(statusCode: StatusCodes.Status403Forbidden, title: "Forbidden", detail: detail);

    public static IResult BadRequest(string detail) =>
        TypedResults.Problem(statusCode: StatusCodes.Status400BadRequest, title: "Bad request", detail: detail);

    /// <summary>400 with every invalid field and what is wrong with it.</summary>
    public static IResult Invalid(RequestErrors errors) => TypedResults.ValidationProblem(
        errors.ToDictionary(), title: "The request is not valid", detail: "See 'errors' for every problem found.");
}

/// <summary>Collects validation errors by JSON path, so one response lists them all.</summary>
public sealed class RequestErrors
{
    private readonly Dictionary<string, List<string>> _errors = new(StringComparer.Ordinal);

    public bool Any => _errors.Count > 0;

    public void Add(string field, string message)
    {
        if (!_errors.TryGetValue(field, out var list))
        {
            list = [];
            _errors[field] = list;
        }

        list.Add(message);
    }

    public Dictionary<string, string[]> ToDictionary() => _errors.ToDictionary(e => e.Key, e => e.Value.ToArray(), StringComparer.Ordinal);
}
