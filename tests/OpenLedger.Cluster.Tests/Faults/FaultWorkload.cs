using System.Collections.Concurrent;
using System.Text;
using System.Text.Json;
using OpenLedger.Client;
using OpenLedger.Economy;

namespace OpenLedger.Cluster.Tests.Faults;

/// <summary>
/// What runs while faults are injected: signed contributions to a Datanet through the SDK, paid inference over HTTP
/// spread across the live silos by every agent, and epochs closed on-chain now and then. It records only what the grid
/// acknowledged (a contribution receipt, a 200 with an inference id, an epoch summary); refusals and errors a client
/// sees during a fault are counted by kind, never retried as if they had been lost.
/// </summary>
public sealed class FaultWorkload(FaultGrid grid, string datanetId)
{
    private readonly ConcurrentDictionary<string, string> _contributions = new();
    private readonly ConcurrentDictionary<string, ServedInference> _served = new();
    private readonly ConcurrentDictionary<string, int> _errors = new();
    private readonly ConcurrentQueue<EpochSummary> _closed = new();
    private int _requests;

    /// <summary>Acknowledged contributions: receipt id to payload hash.</summary>
    public IReadOnlyDictionary<string, string> Contributions => _contributions;

    /// <summary>Inferences answered 200, by id.</summary>
    public IReadOnlyDictionary<string, ServedInference> Served => _served;

    /// <summary>What clients saw go wrong, by kind (an HTTP status and code, or an exception type).</summary>
    public IReadOnlyDictionary<string, int> Errors => _errors;

    /// <summary>Epochs the workload closed (those whose close returned).</summary>
    public IReadOnlyCollection<EpochSummary> Closed => _closed;

    /// <summary>Inference requests sent.</summary>
    public int Requests => _requests;

    /// <summary>Creates an open Datanet for the workload's contributions.</summary>
    public static async Task<FaultWorkload> CreateAsync(FaultGrid grid)
    {
        var id = SampleDatanets.NewId("faults");
        var owner = ContributorKey.Generate();
        await grid.Grid.Datanets.CreateAsync(id, owner.Address, SampleDatanets.Open());
        return new FaultWorkload(grid, id);
    }

    /// <summary>The Datanet contributions go to.</summary>
    public string DatanetId => datanetId;

    /// <summary>
    /// Runs until <paramref name="stop"/>: one contributor loop, one inference loop per agent, and (when
    /// <paramref name="closeEvery"/> is set) an epoch closed at that interval.
    /// </summary>
    public Task RunAsync(CancellationToken stop, TimeSpan? closeEvery = null)
    {
        var loops = new List<Task> { ContributeAsync(stop) };
        loops.AddRange(grid.Agents.Select((agent, i) => InferAsync(agent, i, stop)));
        if (closeEvery is { } every)
        {
            loops.Add(CloseEpochsAsync(every, stop));
        }
        return Task.WhenAll(loops);
    }

    private async Task ContributeAsync(CancellationToken stop)
    {
        var contributor = ContributorKey.Generate();
        for (var n = 0; !stop.IsCancellationRequested; n++)
        {
            var payload = SampleDatanets.Records(1, $"fault-{n}-{Guid.NewGuid():N}");
            try
            {
                var receipt = await grid.Grid.Datanets.ContributeAsync(contributor, datanetId, payload, SampleDatanets.Licence);
                _contributions[receipt.Record.Id] = receipt.Record.PayloadHash;
            }
            catch (Exception ex)
            {
                Count(ex.GetType().Name);
                await Pause(stop);
            }
        }
    }

    private async Task InferAsync(FaultAgent agent, int offset, CancellationToken stop)
    {
        for (var n = offset; !stop.IsCancellationRequested; n++)
        {
            var live = grid.Live;
            if (live.Count == 0)
            {
                await Pause(stop);
                continue;
            }
            var silo = live[n % live.Count];
            Interlocked.Increment(ref _requests);
            try
            {
                using var http = silo.Http(agent.ApiKey, TimeSpan.FromSeconds(90));
                var body = JsonSerializer.Serialize(new { model = grid.Model, prompt = $"Incident {n}: ", max_tokens = 6, temperature = 0 });
                using var response = await http.PostAsync("/v1/completions", new StringContent(body, Encoding.UTF8, "application/json"), CancellationToken.None);
                var text = await response.Content.ReadAsStringAsync(CancellationToken.None);
                if (!response.IsSuccessStatusCode)
                {
                    Count($"{(int)response.StatusCode} {ErrorCode(text)}");
                    await Pause(stop);
                    continue;
                }
                using var answer = JsonDocument.Parse(text);
                var usage = answer.RootElement.GetProperty("usage");
                var id = answer.RootElement.GetProperty("id").GetString()!;
                _served[id] = new ServedInference(id, agent.Address, silo.Index,
                    usage.GetProperty("prompt_tokens").GetInt32() + usage.GetProperty("completion_tokens").GetInt32());
                // Paced like an agent that reads its answers, so attribution keeps up and the audit stays bounded.
                await Pause(stop, 100);
            }
            catch (Exception ex) when (ex is HttpRequestException or TaskCanceledException or IOException)
            {
                Count(ex.GetType().Name);
                await Pause(stop);
            }
        }
    }

    private async Task CloseEpochsAsync(TimeSpan every, CancellationToken stop)
    {
        while (!stop.IsCancellationRequested)
        {
            try
            {
                await Task.Delay(every, stop);
            }
            catch (OperationCanceledException)
            {
                return;
            }
            try
            {
                var closed = await grid.Settlement.CloseEpoch().WaitAsync(TimeSpan.FromMinutes(1), stop);
                _closed.Enqueue(closed);
                grid.Log.Write($"epoch {closed.EpochId} closed by the workload: {closed.Inferences} inferences, {closed.DebitedWei} wei");
            }
            catch (OperationCanceledException) when (stop.IsCancellationRequested)
            {
                return;
            }
            catch (Exception ex)
            {
                Count("close " + ex.GetType().Name);
                grid.Log.Write($"closing an epoch failed: {ex.GetType().Name}: {ex.Message.Split('\n')[0]}");
            }
        }
    }

    private void Count(string kind) => _errors.AddOrUpdate(kind, 1, (_, n) => n + 1);

    private static string ErrorCode(string body)
    {
        try
        {
            using var error = JsonDocument.Parse(body);
            return error.RootElement.GetProperty("error").GetProperty("code").GetString() ?? "";
        }
        catch (Exception ex) when (ex is JsonException or KeyNotFoundException or InvalidOperationException)
        {
            return "unparsed";
        }
    }

    // A failed call waits a little before the next, so a dead silo is not hammered in a tight loop.
    private static async Task Pause(CancellationToken stop, int milliseconds = 250)
    {
        try
        {
            await Task.Delay(milliseconds, stop);
        }
        catch (OperationCanceledException)
        {
        }
    }
}

/// <summary>An inference the grid answered 200.</summary>
/// <param name="Id">Its inference id (the completion's <c>id</c>).</param>
/// <param name="Agent">The agent that paid for it.</param>
/// <param name="Silo">The silo whose HTTP API answered.</param>
/// <param name="Tokens">Prompt plus completion tokens, as the usage reported them.</param>
public sealed record ServedInference(string Id, string Agent, int Silo, int Tokens);
