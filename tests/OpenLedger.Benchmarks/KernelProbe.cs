using System.Diagnostics;
using OpenLedger.Model;
using OpenLedger.Model.Lora;
using OpenLedger.Model.Pretraining;
using OpenLedger.Model.Serving;
using static TorchSharp.torch;

namespace OpenLedger.Benchmarks;

public static class KernelProbe
{
    public static void Run()
    {
        using var model = new LlamaModel(BaseModelSizes.Get("small"));
        model.InitialiseWeights(1);
        model.eval();
        using var noGrad = no_grad();
        var settings = new LoraSettings(8, 16, 0, LoraSettings.AllTargets);
        var adapters = Enumerable.Range(0, 32).Select(i => ResidentAdapter.Create(SyntheticAdapters.Create(model, settings, i + 1, 0.01, "small"), model)).ToList();
        var projections = model.Projections();
        double Time(Action a, int n = 50) { a(); var w = Stopwatch.StartNew(); for (var i = 0; i < n; i++) { a(); } return w.Elapsed.TotalMilliseconds / n; }
        for (var p = 0; p < 7; p++)
        {
            var w = projections[p].Projection.Weight;
            using var x = randn(32, 1, w.shape[1]);
            using var y = zeros(32, 1, w.shape[0]);
            var distinct = adapters.Select(a => a.ByProjection[p]).ToList();
            var same = adapters.Select(_ => adapters[0].ByProjection[p]).ToList();
            Console.WriteLine($"{projections[p].Path}: distinct {Time(() => LoraKernel.AddDelta(x, y, distinct), 2000):0.000} ms, same {Time(() => LoraKernel.AddDelta(x, y, same), 2000):0.000} ms, base linear {Time(() => nn.functional.linear(x, w).Dispose()):0.000} ms");
        }
        {
            using var x = randn(32, 1, 128);
            Console.WriteLine($"bytes {Time(() => { var b = x.bytes; }, 1000) * 1000:0.0} us, shape {Time(() => { var b = x.shape; }, 1000) * 1000:0.0} us, to_type {Time(() => { using var t = x.to_type(ScalarType.Float32); }, 1000) * 1000:0.0} us, contiguous {Time(() => { using var t = x.contiguous(); }, 1000) * 1000:0.0} us, is_contiguous {Time(() => { var b = x.is_contiguous(); }, 1000) * 1000:0.0} us, scope {Time(() => { using var d = NewDisposeScope(); }, 1000) * 1000:0.0} us, dtype {Time(() => { var b = x.dtype; }, 1000) * 1000:0.0} us");
        }
        var cfg = model.Config;
        using var cache = new BatchKvCache(cfg, 32, ScalarType.Float32, CPU);
        for (var row = 0; row < 32; row++)
        {
            using var h = new KvCache(cfg.NumHiddenLayers);
            model.Forward(tensor(Enumerable.Range(0, 12).Select(t => (long)(t * 37 + row)).ToArray(), new long[] { 1, 12 }), h).Dispose();
            cache.Load(row, h);
        }
        using var tokens = tensor(Enumerable.Range(0, 32).Select(i => (long)i).ToArray(), new long[] { 32, 1 });
        double Step(IReadOnlyList<ResidentAdapter?> rows) => Time(() =>
        {
            using (model.ServeAdapters(rows))
            {
                model.ForwardRows(tokens, cache).Dispose();
            }
            for (var r = 0; r < 32; r++) { cache.Move(r, r); }
        }, 20);
        // lengths grow; fine for a probe
        Console.WriteLine($"decode step base {Step(adapters.Select(_ => (ResidentAdapter?)null).ToList()):0.00} ms, same {Step(adapters.Select(_ => (ResidentAdapter?)adapters[0]).ToList()):0.00} ms, distinct {Step(adapters.Cast<ResidentAdapter?>().ToList()):0.00} ms");
        using var one = tensor(new long[] { 5 }, new long[] { 1, 1 });
        using var cache1 = new BatchKvCache(cfg, 1, ScalarType.Float32, CPU);
        using (var h = new KvCache(cfg.NumHiddenLayers)) { model.Forward(tensor(new long[] { 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12 }, new long[] { 1, 12 }), h).Dispose(); cache1.Load(0, h); }
        Console.WriteLine($"decode step batch 1: {Time(() => { using (model.ServeAdapters([adapters[0]])) { model.ForwardRows(one, cache1).Dispose(); } }, 20):0.00} ms");
        using var prompt = tensor(Enumerable.Range(0, 12).Select(t => (long)t).ToArray(), new long[] { 1, 12 });
        Console.WriteLine($"prefill 12 tokens: {Time(() => { using var h = new KvCache(cfg.NumHiddenLayers); using (model.ServeAdapters([adapters[0]])) { model.Forward(prompt, h).Dispose(); } }, 20):0.00} ms");
        using var hidden = randn(32, 1, 128);
        Console.WriteLine($"lm_head 32 rows: {Time(() => nn.functional.linear(hidden, model.Backbone.EmbedTokens.weight!).Dispose()):0.00} ms");
    }
}
