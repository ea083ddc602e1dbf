using OpenLedger.Silo.Endpoints;
using OpenLedger.Silo.Hosting;

var builder = WebApplication.CreateBuilder(args);
builder.AddOpenLedgerSilo();

var app = builder.Build();
app.MapOpenLedgerEndpoints();
await app.RunAsync();
