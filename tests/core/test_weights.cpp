// Checkpoint readers against files written by Python (safetensors, sharded index, torch.save zip
// pickles of a state dict and of a list), and their error messages on broken files.
#include <QTemporaryDir>

#include "coz/error.h"
#include "test_util.h"
#include "weights/hf_cache.h"
#include "weights/torch_pickle.h"
#include "weights/weight_store.h"

using namespace coz;
using namespace coz::weights;
namespace fs = std::filesystem;

namespace {
fs::path sd3() { return test::data_dir() / "goldens/sd3"; }
using test::error_of;
}  // namespace

class TestWeights : public QObject {
  Q_OBJECT
  QTemporaryDir dir_;
  fs::path tmp(const std::string& n) { return fs::path(dir_.path().toStdString()) / n; }

 private Q_SLOTS:
  void readsSafetensorsInEveryDtype() {
    auto f16 = WeightStore::open(sd3() / "pipeline/text_encoder");
    const auto& e = f16.entry("text_model.embeddings.token_embedding.weight");
    QCOMPARE(e.dtype, torch::kHalf);
    QCOMPARE(e.shape, (std::vector<int64_t>{934, 32}));
    auto bf16 = WeightStore::open(sd3() / "pipeline/text_encoder_2");
    QCOMPARE(bf16.entry("text_projection.weight").dtype, torch::kBFloat16);
    auto f32 = WeightStore::open(sd3() / "pipeline/vae");
    QCOMPARE(f32.entry("encoder.conv_in.weight").dtype, torch::kFloat32);
    QCOMPARE(f32.get("encoder.conv_in.weight").sizes().vec(), (std::vector<int64_t>{16, 3, 3, 3}));
    // The io file holds int64 token ids.
    auto io = WeightStore::open(sd3() / "io.safetensors");
    QCOMPARE(io.get("clip_l.ids").scalar_type(), torch::kInt64);
    QCOMPARE(io.get("clip_l.ids")[0][0].item<int64_t>(), 932);
  }
  void readsShardedIndex() {
    auto t5 = WeightStore::open(sd3() / "pipeline/text_encoder_3");
    QVERIFY(t5.has("shared.weight"));
    QVERIFY(t5.has("encoder.final_layer_norm.weight"));
    QVERIFY(t5.entry("shared.weight").file.find("model-000") != std::string::npos);
    QVERIFY(t5.size() > 15);
  }
  void readsTorchSaveCheckpoints() {
    auto list = WeightStore::open(sd3() / "lora/model_tiny.pkl");
    QCOMPARE(list.list().size(), size_t{10});  // 5 layers x (up, down)
    QCOMPARE(list.list()[0].sizes().vec(), (std::vector<int64_t>{192, 4}));  // up: [6*32, r]
    QCOMPARE(list.list()[1].sizes().vec(), (std::vector<int64_t>{4, 32}));   // down: [r, 32]
    auto sd = WeightStore::open(sd3() / "lora/vae_encoder_tiny.pt");
    QVERIFY(sd.has("conv_in.base_layer.weight"));
    QVERIFY(sd.has("conv_in.lora_A.default_encoder.weight"));
    QVERIFY(sd.has("mid_block.attentions.0.to_out.0.lora_B.default_encoder.weight"));
    QVERIFY(sd.has("down_blocks.0.resnets.0.norm1.weight"));
  }
  void loadsIntoAModuleAndReports() {
    torch::nn::Linear lin(torch::nn::LinearOptions(32, 192));
    auto list = WeightStore::open(sd3() / "pipeline/transformer");
    auto r = load_module(*lin, list, Unexpected::Error, "transformer_blocks.0.norm1.linear.");
    QVERIFY(r.ok());
    QVERIFY(torch::equal(lin->weight, list.get("transformer_blocks.0.norm1.linear.weight").to(torch::kFloat32)));
    torch::nn::Linear wrong(torch::nn::LinearOptions(32, 100));
    const std::string msg = error_of([&] { load_module(*wrong, list, Unexpected::Error, "transformer_blocks.0.norm1.linear."); });
    QVERIFY2(msg.find("transformer_blocks.0.norm1.linear.weight has shape [192,32], expected [100,32]") != std::string::npos, msg.c_str());
    QVERIFY2(msg.find("diffusion_pytorch_model.safetensors") != std::string::npos, msg.c_str());
    torch::nn::Linear missing(torch::nn::LinearOptions(32, 192));
    const std::string m2 = error_of([&] { load_module(*missing, list, Unexpected::Error, "nope."); });
    QVERIFY2(m2.find("missing tensors: nope.weight nope.bias") != std::string::npos, m2.c_str());
  }
  // One policy for every family: missing is an error; unexpected is an error in strict mode and one
  // log line where a family knowingly loads a subset.
  void loadPolicyJudgesTheReport() {
    const auto vae = WeightStore::open(sd3() / "pipeline/vae");
    const std::string file = vae.source();
    torch::nn::Conv2d conv(torch::nn::Conv2dOptions(3, 16, 3));
    // The file's encoder.conv_in is the conv; the rest of encoder.* is not in the module.
    const auto n_encoder = [&] {
      size_t n = 0;
      for (const auto& name : vae.names()) n += name.rfind("encoder.", 0) == 0;
      return n;
    }();
    const auto r = read_module(*conv, vae, "encoder.", [](const std::string& n) { return "conv_in." + n; });
    QVERIFY(r.ok());
    QCOMPARE(r.unexpected.size(), n_encoder - 2);
    QVERIFY(torch::equal(conv->weight, vae.get("encoder.conv_in.weight")));
    std::string first5;
    for (size_t i = 0; i < 5; ++i) first5 += " " + r.unexpected[i];
    std::string first8 = first5;
    for (size_t i = 5; i < 8; ++i) first8 += " " + r.unexpected[i];
    const std::string count = std::to_string(r.unexpected.size());
    // Strict: an error naming the file, the count and the first names.
    QCOMPARE(error_of([&] { check_load(r, Unexpected::Error); }),
             "cannot load " + file + "\n  " + count + " unexpected tensors:" + first8 + " …");
    // A known subset: one line to the log, nothing thrown.
    std::vector<std::string> logged;
    check_load(r, Unexpected::Log, [&](const std::string& line) { logged.push_back(line); });
    QCOMPARE(logged, std::vector<std::string>{file + ": " + count + " unexpected tensors ignored:" + first5 + " …"});
    // Missing and wrong-shaped tensors are errors under either policy; unexpected ones are listed
    // with them.
    const auto r2 = read_module(*conv, vae, "encoder.",
                                [](const std::string& n) { return n == "bias" ? "conv_in.nobias" : "conv_in." + n; });
    QCOMPARE(r2.missing, std::vector<std::string>{"encoder.conv_in.nobias"});
    std::string next8;
    for (size_t i = 0; i < 8; ++i) next8 += " " + r2.unexpected[i];
    QCOMPARE(error_of([&] { check_load(r2, Unexpected::Log, [](const std::string&) { QFAIL("logged"); }); }),
             "cannot load " + file + "\n  1 missing tensors: encoder.conv_in.nobias\n  " +
                 std::to_string(r2.unexpected.size()) + " unexpected tensors:" + next8 + " …");
    torch::nn::Linear lin(torch::nn::LinearOptions(4, 4));
    const auto r3 = read_module(*lin, vae, "encoder.conv_in.");
    QCOMPARE(error_of([&] { check_load(r3, Unexpected::Log); }),
             "cannot load " + file + "\n  tensor encoder.conv_in.weight has shape [16,3,3,3], expected [4,4]" +
                 "\n  tensor encoder.conv_in.bias has shape [16], expected [4]");
    const auto r4 = read_module(*lin, vae, "nope.");
    QCOMPARE(error_of([&] { check_load(r4, Unexpected::Log); }),
             "cannot load " + file + "\n  2 missing tensors: nope.weight nope.bias");
    // A clean report passes both policies without a word.
    logged.clear();
    LoadReport clean;
    clean.source = file;
    check_load(clean, Unexpected::Error);
    check_load(clean, Unexpected::Log, [&](const std::string& line) { logged.push_back(line); });
    QVERIFY(logged.empty());
  }
  void findsHuggingFaceSnapshots() {
    const fs::path cache = tmp("hub");
    const fs::path repo = cache / "models--org--model";
    const std::string main_commit(40, 'a'), old_commit(40, 'b');
    fs::create_directories(repo / "snapshots" / main_commit);
    fs::create_directories(repo / "snapshots" / old_commit);
    fs::create_directories(repo / "refs");
    { std::ofstream(repo / "refs/main") << main_commit; }
    { std::ofstream(repo / "snapshots" / old_commit / "model_index.json") << "{}"; }
    QCOMPARE(hf_repo_folder_name("org/model"), std::string("models--org--model"));
    // refs/main names the snapshot.
    QCOMPARE(find_hf_snapshot_in(cache, "org/model"), std::optional<fs::path>(repo / "snapshots" / main_commit));
    // A commit hash is its own snapshot, and nothing else stands in for it.
    QCOMPARE(find_hf_snapshot_in(cache, "org/model", old_commit), std::optional<fs::path>(repo / "snapshots" / old_commit));
    QVERIFY(!find_hf_snapshot_in(cache, "org/model", std::string(40, 'c'), "model_index.json"));
    // main's snapshot lacks the file: a complete snapshot stands in.
    QCOMPARE(find_hf_snapshot_in(cache, "org/model", "main", "model_index.json"),
             std::optional<fs::path>(repo / "snapshots" / old_commit));
    QVERIFY(!find_hf_snapshot_in(cache, "org/other"));
    // A ref pointing out of snapshots/ is not followed; bad ids and revisions are refused.
    { std::ofstream(repo / "refs/evil") << "../../../etc"; }
    QVERIFY(!find_hf_snapshot_in(cache, "org/model", "evil"));
    QCOMPARE(error_of([&] { find_hf_snapshot_in(cache, "../x"); }),
             std::string("'../x' is not a Hugging Face model id (expected <org>/<name>)"));
    QCOMPARE(error_of([&] { find_hf_snapshot_in(cache, "org/model", "../main"); }),
             std::string("'../main' is not a Hugging Face revision"));
    // The cache huggingface_hub writes to comes first; the other settings are searched after it.
    qputenv("HF_HUB_CACHE", QByteArray::fromStdString(cache.string()));
    qputenv("HF_HOME", QByteArray::fromStdString(tmp("home").string()));
    QCOMPARE(hf_hub_cache_dir(), cache);
    QCOMPARE(hf_hub_cache_dirs().at(1), tmp("home") / "hub");
    QCOMPARE(find_hf_snapshot("org/model"), std::optional<fs::path>(repo / "snapshots" / main_commit));
    qunsetenv("HF_HUB_CACHE");
    QCOMPARE(hf_hub_cache_dir(), tmp("home") / "hub");
    QVERIFY(!find_hf_snapshot("org/model"));
    qunsetenv("HF_HOME");
  }
  void pickleGraphsAreWalkedOnce() {
    // 60 dicts, each holding the previous one twice (through the memo): 2^60 paths, one walk each.
    using namespace std::string_literals;  // the pickles hold NUL bytes
    std::string pkl = "\x80\x02}q\x00"s;
    auto key = [](const char* k) { return "X\x01\x00\x00\x00"s + k; };
    for (int level = 1; level <= 60; ++level) {
      const char prev = static_cast<char>(level - 1);
      pkl += std::string("}(") + key("a") + "h" + prev + key("b") + "h" + prev + "uq" + static_cast<char>(level);
    }
    pkl += ".";
    const auto no_storage = [](const std::string& k, size_t*) -> const uint8_t* { throw ModelLoadError("no storage " + k); };
    auto ck = read_torch_pickle(reinterpret_cast<const uint8_t*>(pkl.data()), pkl.size(), no_storage, "shared.pkl");
    QVERIFY(!ck.is_list);
    QCOMPARE(ck.entries.size(), size_t{0});
    // A dict that contains itself ends too.
    const std::string self = "\x80\x02}q\x00("s + key("a") + "h\x00u."s;
    ck = read_torch_pickle(reinterpret_cast<const uint8_t*>(self.data()), self.size(), no_storage, "self.pkl");
    QCOMPARE(ck.entries.size(), size_t{0});
    // Nesting past 64 levels is refused, naming the file.
    std::string deep = "\x80\x02" + std::string(100, ']') + std::string(99, 'a') + ".";
    const std::string m = error_of([&] {
      read_torch_pickle(reinterpret_cast<const uint8_t*>(deep.data()), deep.size(), no_storage, "deep.pkl");
    });
    QVERIFY2(m.find("deep.pkl") != std::string::npos && m.find("nested deeper than 64") != std::string::npos, m.c_str());
  }
  void brokenFilesNameTheProblem() {
    const fs::path src = sd3() / "pipeline/vae/diffusion_pytorch_model.safetensors";
    fs::copy_file(src, tmp("cut.safetensors"));
    fs::resize_file(tmp("cut.safetensors"), fs::file_size(src) / 2);
    std::string m = error_of([&] { WeightStore::open(tmp("cut.safetensors")); });
    QVERIFY2(m.find("truncated") != std::string::npos && m.find("cut.safetensors") != std::string::npos, m.c_str());
    { std::ofstream(tmp("junk.safetensors")) << "hello world, not a model"; }
    m = error_of([&] { WeightStore::open(tmp("junk.safetensors")); });
    QVERIFY2(m.find("corrupt safetensors header") != std::string::npos, m.c_str());
    // A missing shard.
    fs::create_directories(tmp("t5"));
    for (const auto& e : fs::directory_iterator(sd3() / "pipeline/text_encoder_3")) fs::copy_file(e.path(), tmp("t5") / e.path().filename());
    fs::remove(tmp("t5") / "model-00003-of-00015.safetensors");
    m = error_of([&] { WeightStore::open(tmp("t5")); });
    QVERIFY2(m.find("model-00003-of-00015.safetensors") != std::string::npos && m.find("missing") != std::string::npos, m.c_str());
    { std::ofstream(tmp("bad.pt")) << "PK but not really a zip"; }
    m = error_of([&] { WeightStore::open(tmp("bad.pt")); });
    QVERIFY2(m.find("bad.pt") != std::string::npos, m.c_str());
    m = error_of([&] { WeightStore::open(tmp("nothing-here")); });
    QVERIFY2(m.find("no such file") != std::string::npos, m.c_str());
  }
};

QTEST_GUILESS_MAIN(TestWeights)
#include "test_weights.moc"
