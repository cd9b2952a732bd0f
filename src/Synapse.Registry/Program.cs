var builder = WebApplication.CreateBuilder(args);
var app = builder.Build();
app.MapGet("/api/v1/health", () => Results.Ok(new { status = "ok" }));
app.Run();

/// <summary>Entry point, exposed for WebApplicationFactory.</summary>
public partial class Program;
