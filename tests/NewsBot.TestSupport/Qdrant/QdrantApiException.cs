namespace NewsBot.TestSupport.Qdrant;

/// <summary>An error the fake answers the way Qdrant does: the status code and <c>{"status": {"error": ...}}</c>.</summary>
internal sealed class QdrantApiException : Exception
{
    public QdrantApiException(int statusCode, string message) : base(message) => StatusCode = statusCode;

    public QdrantApiException() { }

    public QdrantApiException(string message) : base(message) { }

    public QdrantApiException(string message, Exception innerException) : base(message, innerException) { }

    public int StatusCode { get; } = 400;

    public static QdrantApiException Format(string detail) => new(400, "Format error in JSON body: " + detail);

    public static QdrantApiException Validation(string detail) => new(422, "Validation error in JSON body: " + detail);

    public static QdrantApiException WrongInput(string detail) => new(400, "Wrong input: " + detail);

    public static QdrantApiException BadRequest(string detail) => new(400, "Bad request: " + detail);

    public static QdrantApiException NotFound(string detail) => new(404, "Not found: " + detail);
}
