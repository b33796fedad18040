// `coz serve` over loopback, as a script talks to it: real requests with real images against the
// real binary, which the test starts on 127.0.0.1 (any free port) and stops with SIGTERM.
#include <QProcess>
#include <QTemporaryDir>

#include <httplib.h>

#include <nlohmann/json.hpp>

#include <algorithm>
#include <csignal>
#include <fstream>
#include <sstream>

#include "base64.h"
#include "coz/imageio.h"
#include "coz/record.h"
#include "test_util.h"

using namespace coz;
namespace fs = std::filesystem;
using json = nlohmann::json;

namespace {
std::string b64(const std::string& in) { return coz::cli::base64_encode(in); }
std::string unb64(const std::string& in) {
  std::string out;
  size_t at = 0;
  if (coz::cli::base64_decode(in, 0, out, at) != coz::cli::Base64Error::None) return {};
  return out;
}
std::string png_bytes(int w, int h) {
  Image img;
  img.rgb = test::test_pattern(w, h);
  return io::encode_image(".png", img);
}
Image decode(const std::string& bytes, const QTemporaryDir& tmp) {
  const fs::path f = fs::path(tmp.path().toStdString()) / "answer.png";
  std::ofstream(f, std::ios::binary) << bytes;
  return io::read_image(f.string());
}

// A running `coz serve`; stopped with SIGTERM when it goes out of scope.
struct Server {
  QProcess p;
  int port = 0;
  explicit Server(QStringList extra) {
    p.start(COZ_CLI, QStringList{"serve", "--port", "0", "--model", "bicubic", "--quiet"} + extra);
    std::string out;
    while (out.find('\n') == std::string::npos && p.waitForReadyRead(20000)) out += p.readAllStandardOutput().toStdString();
    const auto at = out.rfind(':');
    if (out.rfind("listening on http://127.0.0.1:", 0) == 0 && at != std::string::npos) port = std::stoi(out.substr(at + 1));
  }
  ~Server() {
    if (p.state() != QProcess::NotRunning) {
      ::kill(static_cast<pid_t>(p.processId()), SIGTERM);
      p.waitForFinished(20000);
    }
  }
  httplib::Client client() const {
    httplib::Client c("127.0.0.1", port);
    c.set_read_timeout(120, 0);
    return c;
  }
};
}  // namespace

class TestServe : public QObject {
  Q_OBJECT

 private Q_SLOTS:
  void endpoints() {
    Server s({});
    QVERIFY(s.port > 0);
    auto c = s.client();
    QTemporaryDir tmp;

    auto h = c.Get("/health");
    QVERIFY(h && h->status == 200);
    QCOMPARE(json::parse(h->body)["status"].get<std::string>(), std::string("healthy"));

    // /upscale: the exact size rule of `coz upscale` for 2.5x.
    json body = {{"image", b64(png_bytes(41, 30))}, {"scale", 2.5}};
    auto r = c.Post("/upscale", body.dump(), "application/json");
    QVERIFY(r);
    QVERIFY2(r->status == 200, r->body.c_str());
    json j = json::parse(r->body);
    QVERIFY(j["success"].get<bool>());
    QCOMPARE(j["original_size"], json({41, 30}));
    QCOMPARE(j["output_size"], json({103, 75}));  // round(102.5) = 103 (half away from zero), 75
    const Image up = decode(unb64(j["image"].get<std::string>()), tmp);
    QCOMPARE(up.width(), 103);
    QCOMPARE(up.height(), 75);

    // A data: URL is accepted.
    body["image"] = "data:image/png;base64," + b64(png_bytes(20, 20));
    body["scale"] = 2;
    r = c.Post("/upscale", body.dump(), "application/json");
    QVERIFY2(r && r->status == 200, r ? r->body.c_str() : "no answer");

    // /process and /zoom.
    json z = {{"image", b64(png_bytes(80, 60))}, {"zoom_steps", 2}, {"process_size", 64}, {"user_prompt", "sharp"}};
    r = c.Post("/process", z.dump(), "application/json");
    QVERIFY2(r && r->status == 200, r ? r->body.c_str() : "no answer");
    j = json::parse(r->body);
    QCOMPARE(j["zoom_steps"].get<int>(), 2);
    QCOMPARE(j["final_resolution"], json({64, 64}));
    QCOMPARE(j["prompts"], json({"sharp", "sharp"}));
    QCOMPARE(decode(unb64(j["image"].get<std::string>()), tmp).width(), 64);
    // The answer's image carries the recipe that made it (the last step's).
    const ZoomRecord rec = parse_zoom_record(io::recipe_from_bytes(unb64(j["image"].get<std::string>())), "answer");
    QCOMPARE(rec.request.steps, 2);
    QCOMPARE(rec.prompts.back(), std::string("sharp"));
    z["center_x"] = 0.25;
    z["center_y"] = 0.75;
    auto zc = c.Post("/zoom", z.dump(), "application/json");
    QVERIFY2(zc && zc->status == 200, zc ? zc->body.c_str() : "no answer");
    QVERIFY(json::parse(zc->body)["image"] != j["image"]);  // another point, another picture
    z["center_x"] = 1.5;
    zc = c.Post("/zoom", z.dump(), "application/json");
    QVERIFY(zc && zc->status == 400);

    auto m = c.Get("/v1/models");
    QVERIFY(m && m->status == 200);
    QVERIFY(m->body.find("\"bicubic\"") != std::string::npos);
  }

  // AUTOMATIC1111's upscaling API, with the request body of its documentation (ExtrasSingleImageRequest).
  void automatic1111() {
    Server s({});
    auto c = s.client();
    QTemporaryDir tmp;
    auto r = c.Get("/sdapi/v1/upscalers");
    QVERIFY(r && r->status == 200);
    bool bicubic = false;
    for (const auto& u : json::parse(r->body)) {
      bicubic = bicubic || u["name"] == "bicubic";
      QVERIFY(u["model_path"].is_null());  // no server paths
    }
    QVERIFY(bicubic);
    json doc = json::parse(R"({"resize_mode": 0, "show_extras_results": true, "gfpgan_visibility": 0,
      "codeformer_visibility": 0, "codeformer_weight": 0, "upscaling_resize": 2, "upscaling_resize_w": 512,
      "upscaling_resize_h": 512, "upscaling_crop": true, "upscaler_1": "None", "upscaler_2": "None",
      "extras_upscaler_2_visibility": 0, "upscale_first": false, "image": ""})");
    doc["image"] = b64(png_bytes(30, 20));
    r = c.Post("/sdapi/v1/extra-single-image", doc.dump(), "application/json");
    QVERIFY2(r && r->status == 200, r ? r->body.c_str() : "no answer");
    QCOMPARE(decode(unb64(json::parse(r->body)["image"].get<std::string>()), tmp).width(), 30);  // upscaler None
    doc["upscaler_1"] = "bicubic";
    doc["gfpgan_visibility"] = 0.5;
    r = c.Post("/sdapi/v1/extra-single-image", doc.dump(), "application/json");
    QVERIFY2(r && r->status == 200, r ? r->body.c_str() : "no answer");
    json j = json::parse(r->body);
    QCOMPARE(decode(unb64(j["image"].get<std::string>()), tmp).width(), 60);
    QVERIFY2(j["html_info"].get<std::string>().find("gfpgan_visibility ignored") != std::string::npos, r->body.c_str());
    doc["resize_mode"] = 1;  // to 50 x 45: cover (x2.25 -> 68 x 45), then crop the centre
    doc["upscaling_resize_w"] = 50;
    doc["upscaling_resize_h"] = 45;
    doc["image"] = "data:image/png;base64," + b64(png_bytes(30, 20));
    r = c.Post("/sdapi/v1/extra-single-image", doc.dump(), "application/json");
    QVERIFY2(r && r->status == 200, r ? r->body.c_str() : "no answer");
    const Image cropped = decode(unb64(json::parse(r->body)["image"].get<std::string>()), tmp);
    QCOMPARE(cropped.width(), 50);
    QCOMPARE(cropped.height(), 45);
    json batch = doc;
    batch.erase("image");
    batch["resize_mode"] = 0;
    batch["imageList"] = {{{"data", b64(png_bytes(10, 10))}, {"name", "a.png"}}, {{"data", b64(png_bytes(12, 8))}, {"name", "b.png"}}};
    r = c.Post("/sdapi/v1/extra-batch-images", batch.dump(), "application/json");
    QVERIFY2(r && r->status == 200, r ? r->body.c_str() : "no answer");
    j = json::parse(r->body);
    QCOMPARE(j["images"].size(), size_t{2});
    QCOMPARE(decode(unb64(j["images"][1].get<std::string>()), tmp).width(), 24);
    r = c.Get("/sdapi/v1/progress");
    QVERIFY(r && r->status == 200);
    QCOMPARE(json::parse(r->body)["progress"].get<double>(), 0.0);
    QVERIFY(json::parse(r->body)["state"]["job_no"].get<int>() >= 3);
    r = c.Post("/sdapi/v1/interrupt", "", "application/json");
    QVERIFY(r && r->status == 200);
    doc["upscaler_1"] = "R-ESRGAN 4x+";
    r = c.Post("/sdapi/v1/extra-single-image", doc.dump(), "application/json");
    QVERIFY(r && r->status == 400 && r->body.find("R-ESRGAN") != std::string::npos);
  }

  // The async job API: 202 with URLs, server-sent events in order while it runs, the step images and
  // the strip, the state; multipart uploads; cancel through DELETE; openapi.json describes it all.
  void jobs() {
    Server s({"--queue", "4"});
    auto c = s.client();
    QTemporaryDir tmp;
    json body = {{"kind", "zoom"}, {"image", b64(png_bytes(80, 60))}, {"zoom_steps", 3}, {"process_size", 64},
                 {"user_prompt", "fur"}, {"center_x", 0.4}, {"center_y", 0.5}};
    auto r = c.Post("/v1/jobs", body.dump(), "application/json");
    QVERIFY2(r && r->status == 202, r ? r->body.c_str() : "no answer");
    json j = json::parse(r->body);
    const std::string id = j["id"];
    QCOMPARE(j["events_url"].get<std::string>(), "/v1/jobs/" + id + "/events");
    // The events, read until the stream ends (after "done").
    std::string stream;
    auto ev = c.Get(j["events_url"].get<std::string>().c_str(), [&](const char* d, size_t n) {
      stream.append(d, n);
      return true;
    });
    QVERIFY(ev && ev->status == 200);
    std::vector<json> events;
    std::istringstream lines(stream);
    for (std::string l; std::getline(lines, l);)
      if (l.rfind("data: ", 0) == 0) events.push_back(json::parse(l.substr(6)));
    QVERIFY(events.size() >= 6);
    std::vector<int> steps;
    for (size_t i = 0; i < events.size(); ++i) {
      QCOMPARE(events[i]["seq"].get<size_t>(), i);  // in order, none lost
      if (events[i]["event"] == "step") {
        steps.push_back(events[i]["index"].get<int>());
        if (events[i]["index"].get<int>() > 0) QCOMPARE(events[i]["prompt"].get<std::string>(), std::string("fur"));
      }
    }
    QVERIFY((steps == std::vector<int>{0, 1, 2, 3}));
    QCOMPARE(events.front()["event"].get<std::string>(), std::string("queued"));
    QCOMPARE(events.back()["event"].get<std::string>(), std::string("done"));
    QVERIFY(std::any_of(events.begin(), events.end(), [](const json& e) { return e["event"] == "progress"; }));
    auto st = c.Get(("/v1/jobs/" + id).c_str());
    QVERIFY(st && st->status == 200);
    QCOMPARE(json::parse(st->body)["status"].get<std::string>(), std::string("done"));
    auto step = c.Get(("/v1/jobs/" + id + "/steps/2.png").c_str());
    QVERIFY(step && step->status == 200);
    QCOMPARE(decode(step->body, tmp).width(), 64);
    auto strip = c.Get(("/v1/jobs/" + id + "/strip.png").c_str());
    QVERIFY(strip && strip->status == 200);
    QVERIFY(decode(strip->body, tmp).width() > 64);
    QVERIFY(c.Get(("/v1/jobs/" + id + "/steps/7.png").c_str())->status == 404);
    QVERIFY(c.Get("/v1/jobs/0123456789abcdef0123456789abcdef")->status == 404);

    // Multipart: the image as a file part, the options as JSON.
    httplib::MultipartFormDataItems parts = {{"image", png_bytes(50, 40), "photo.png", "image/png"},
                                             {"options", json({{"kind", "upscale"}, {"scale", 3}}).dump(), "", ""}};
    r = c.Post("/v1/jobs", parts);
    QVERIFY2(r && r->status == 202, r ? r->body.c_str() : "no answer");
    const std::string up = json::parse(r->body)["id"];
    for (int i = 0; i < 200 && json::parse(c.Get(("/v1/jobs/" + up).c_str())->body)["status"] != "done"; ++i)
      QTest::qWait(50);
    auto res = c.Get(("/v1/jobs/" + up + "/result.png").c_str());
    QVERIFY(res && res->status == 200);
    QCOMPARE(decode(res->body, tmp).width(), 150);

    // Cancel: a slow job, and one queued behind it that never starts.
    json slow = {{"kind", "upscale"}, {"image", b64(png_bytes(1500, 1200))}, {"scale", 4}};
    const std::string a = json::parse(c.Post("/v1/jobs", slow.dump(), "application/json")->body)["id"];
    const std::string b = json::parse(c.Post("/v1/jobs", slow.dump(), "application/json")->body)["id"];
    auto d = c.Delete(("/v1/jobs/" + b).c_str());
    QVERIFY(d && d->status == 200);
    QCOMPARE(json::parse(c.Get(("/v1/jobs/" + b).c_str())->body)["status"].get<std::string>(), std::string("cancelled"));
    QVERIFY(c.Delete(("/v1/jobs/" + a).c_str())->status == 200);
    std::string sa;
    for (int i = 0; i < 400; ++i) {
      sa = json::parse(c.Get(("/v1/jobs/" + a).c_str())->body)["status"];
      if (sa != "running" && sa != "queued") break;
      QTest::qWait(50);
    }
    QVERIFY2(sa == "cancelled" || sa == "done", sa.c_str());  // done only if it ended before the DELETE came
    // A job in the schema of a steps.json "request" object.
    json rec = {{"image", b64(png_bytes(80, 60))}, {"model", "bicubic"}, {"recursion", "recursive"}, {"steps", 1},
                {"process_size", 32}, {"center", {{"x", 0.5}, {"y", 0.5}}}, {"user_prompt", ""}, {"color_fix", "none"}, {"seed", 0}};
    r = c.Post("/v1/jobs", rec.dump(), "application/json");
    QVERIFY2(r && r->status == 202, r ? r->body.c_str() : "no answer");
    QCOMPARE(json::parse(c.Get(("/v1/jobs/" + json::parse(r->body)["id"].get<std::string>()).c_str())->body)["request"]["steps"].get<int>(), 1);
    // A bad job is refused at once, not failed later.
    r = c.Post("/v1/jobs", json({{"kind", "paint"}, {"image", b64(png_bytes(8, 8))}}).dump(), "application/json");
    QVERIFY(r && r->status == 400);

    auto api = c.Get("/openapi.json");
    QVERIFY(api && api->status == 200);
    const json doc = json::parse(api->body);
    QCOMPARE(doc["openapi"].get<std::string>(), std::string("3.0.3"));
    for (const char* path : {"/upscale", "/process", "/zoom", "/health", "/v1/jobs", "/v1/jobs/{id}/events",
                             "/sdapi/v1/extra-single-image", "/sdapi/v1/upscalers"})
      QVERIFY2(doc["paths"].contains(path), path);
  }

  // A full queue answers 429 with Retry-After: one job runs, none may wait (--queue 0).
  // With a real model, the answers' recipes name the model's files with their SHA-256 (as the CLI's
  // and the studio's do); the baselines have no files to name.
  void recipesCarryModelHashes() {
    if (!test::require_model("esrgan-slim")) return;
    Server s({});
    QVERIFY(s.port > 0);
    auto c = s.client();
    auto hashed = [](const std::vector<ModelFingerprint>& models) {
      return models.size() == 1 && models[0].id == "esrgan-slim" && !models[0].files.empty() &&
             models[0].files[0].second.size() == 64;
    };
    auto r = c.Post("/upscale", json({{"image", b64(png_bytes(24, 20))}, {"scale", 2}, {"model", "esrgan-slim"}}).dump(),
                    "application/json");
    QVERIFY2(r && r->status == 200, r ? r->body.c_str() : "no answer");
    const std::string up = io::recipe_from_bytes(unb64(json::parse(r->body)["image"].get<std::string>()));
    QVERIFY2(hashed(parse_upscale_recipe(up, "answer").models), up.c_str());
    r = c.Post("/process",
               json({{"image", b64(png_bytes(40, 40))}, {"zoom_steps", 1}, {"process_size", 32}, {"model", "esrgan-slim"}}).dump(),
               "application/json");
    QVERIFY2(r && r->status == 200, r ? r->body.c_str() : "no answer");
    const std::string zr = io::recipe_from_bytes(unb64(json::parse(r->body)["image"].get<std::string>()));
    QVERIFY2(hashed(parse_zoom_record(zr, "answer").models), zr.c_str());
  }

  void busy() {
    Server s({"--queue", "0"});
    auto c = s.client();
    const json slow = {{"kind", "upscale"}, {"image", b64(png_bytes(1500, 1200))}, {"scale", 4}};
    std::vector<std::string> ids;
    int refused = 0;
    for (int i = 0; i < 3; ++i) {
      auto r = c.Post("/v1/jobs", slow.dump(), "application/json");
      QVERIFY(r);
      if (r->status == 429) {
        ++refused;
        QVERIFY(r->has_header("Retry-After"));
        QCOMPARE(json::parse(r->body)["success"].get<bool>(), false);
      } else {
        QCOMPARE(r->status, 202);
        ids.push_back(json::parse(r->body)["id"]);
      }
    }
    QVERIFY(refused >= 1);
    for (const auto& id : ids) c.Delete(("/v1/jobs/" + id).c_str());
    QVERIFY(c.Get("/health")->status == 200);
  }

  // Bad requests get a JSON error with a code, and the server stays up.
  void badInput() {
    Server s({});
    auto c = s.client();
    auto expect = [&](const std::string& path, const std::string& body, int status, int code, const std::string& needle) {
      auto r = c.Post(path, body, "application/json");
      QVERIFY(r);
      QVERIFY2(r->status == status, (std::to_string(r->status) + " " + r->body).c_str());
      const json j = json::parse(r->body);
      QCOMPARE(j["success"].get<bool>(), false);
      QCOMPARE(j["code"].get<int>(), code);
      QVERIFY2(j["error"].get<std::string>().find(needle) != std::string::npos, r->body.c_str());
      QVERIFY2(r->body.find("coz-serve-") == std::string::npos, r->body.c_str());  // no server paths
    };
    expect("/upscale", "{not json", 400, 2, "not a JSON object");
    expect("/upscale", "{\"image\": \"###\"}", 400, 3, "not valid base64");
    expect("/upscale", json({{"image", b64("hello, not an image")}}).dump(), 400, 3, "not a PNG, JPEG");
    std::string broken = png_bytes(30, 30);
    broken.resize(60);
    expect("/upscale", json({{"image", b64(broken)}}).dump(), 400, 3, "image: the PNG data is corrupt or truncated");
    expect("/upscale", json({{"image", b64(png_bytes(8, 8))}, {"scale", 0.5}}).dump(), 400, 2, "scale");
    expect("/upscale", json({{"image", b64(png_bytes(8, 8))}, {"model", "nope"}}).dump(), 400, 2, "nope");
    expect("/process", json({{"image", b64(png_bytes(8, 8))}, {"zoom_steps", 12}}).dump(), 400, 2, "zoom_steps");
    expect("/upscale", "{}", 400, 2, "image is missing");
    auto r = c.Get("/nowhere");
    QVERIFY(r && r->status == 404);
    auto h = c.Get("/health");
    QVERIFY(h && h->status == 200);
  }

  void uploadLimit() {
    Server s({"--max-upload-mb", "1"});
    auto c = s.client();
    const std::string big = json({{"image", std::string(2 << 20, 'A')}}).dump();
    auto r = c.Post("/upscale", big, "application/json");
    QVERIFY(r);
    QCOMPARE(r->status, 413);
    QVERIFY2(r->body.find("max-upload-mb") != std::string::npos, r->body.c_str());
    QVERIFY(c.Get("/health")->status == 200);
  }

  void tokenAndCors() {
    QProcess open;
    open.start(COZ_CLI, {"serve", "--host", "0.0.0.0", "--port", "0"});
    QVERIFY(open.waitForFinished(30000));
    QCOMPARE(open.exitCode(), 2);  // refuses to listen beyond loopback without a token
    QVERIFY(open.readAllStandardError().contains("--token"));

    Server s({"--token", "s3cret", "--cors", "http://example.org"});
    auto c = s.client();
    auto r = c.Get("/health");
    QVERIFY(r && r->status == 401);
    r = c.Get("/health", httplib::Headers{{"Authorization", "Bearer wrong"}});
    QVERIFY(r && r->status == 401);
    r = c.Get("/health", httplib::Headers{{"Authorization", "Bearer s3cret"}});
    QVERIFY(r && r->status == 200);
    QCOMPARE(r->get_header_value("Access-Control-Allow-Origin"), std::string("http://example.org"));

    Server plain({});
    r = plain.client().Get("/health");
    QVERIFY(r && r->status == 200 && !r->has_header("Access-Control-Allow-Origin"));
  }

  void sigtermStops() {
    Server s({});
    QVERIFY(s.port > 0);
    // A job is running when the signal comes: it is cancelled and the server still exits 0.
    auto c = s.client();
    const json slow = {{"kind", "upscale"}, {"image", b64(png_bytes(1500, 1200))}, {"scale", 4}};
    const std::string id = json::parse(c.Post("/v1/jobs", slow.dump(), "application/json")->body)["id"];
    for (int i = 0; i < 200 && json::parse(c.Get(("/v1/jobs/" + id).c_str())->body)["status"] == "queued"; ++i)
      QTest::qWait(20);
    ::kill(static_cast<pid_t>(s.p.processId()), SIGTERM);
    QVERIFY(s.p.waitForFinished(20000));
    QCOMPARE(s.p.exitStatus(), QProcess::NormalExit);
    QCOMPARE(s.p.exitCode(), 0);
  }
};

QTEST_GUILESS_MAIN(TestServe)
#include "test_serve.moc"
