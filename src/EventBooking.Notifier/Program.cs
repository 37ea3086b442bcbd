var builder = WebApplication.CreateBuilder(args);

builder.AddServiceDefaults();
builder.AddRabbitMQClient("messaging");

var app = builder.Build();

app.MapDefaultEndpoints();

app.Run();
