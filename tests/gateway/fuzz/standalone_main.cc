// Runs a libFuzzer target without libFuzzer (for compilers without -fsanitize=fuzzer): every
// file of the corpus directories, then a bounded number of deterministic mutations of them.
// Usage: <target> [-runs=N] [-seed=S] <corpus dir>...
#include <cstdint>
#include <cstdio>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <random>
#include <string>
#include <vector>

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size);

int main(int argc, char** argv) {
  long runs = 10000;
  unsigned seed = 1;
  std::vector<std::string> corpus;
  for (int i = 1; i < argc; ++i) {
    if (std::strncmp(argv[i], "-runs=", 6) == 0) {
      runs = std::atol(argv[i] + 6);
    } else if (std::strncmp(argv[i], "-seed=", 6) == 0) {
      seed = static_cast<unsigned>(std::atol(argv[i] + 6));
    } else if (argv[i][0] != '-') {
      for (const auto& entry : std::filesystem::directory_iterator(argv[i])) {
        std::ifstream in(entry.path(), std::ios::binary);
        corpus.emplace_back(std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>());
      }
    }
  }
  if (corpus.empty()) corpus.emplace_back();
  for (const std::string& input : corpus) {
    LLVMFuzzerTestOneInput(reinterpret_cast<const uint8_t*>(input.data()), input.size());
  }
  std::mt19937 random(seed);
  const char kInteresting[] = "{}[]\":,/*=.%\\0-+ \n{}**:verb";
  for (long run = 0; run < runs; ++run) {
    std::string input = corpus[random() % corpus.size()];
    int edits = 1 + random() % 8;
    for (int e = 0; e < edits; ++e) {
      size_t at = input.empty() ? 0 : random() % (input.size() + 1);
      switch (random() % 4) {
        case 0:  // insert an interesting byte
          input.insert(at, 1, kInteresting[random() % (sizeof(kInteresting) - 1)]);
          break;
        case 1:  // insert a random byte
          input.insert(at, 1, static_cast<char>(random() % 256));
          break;
        case 2:  // erase
          if (!input.empty()) input.erase(at % input.size(), 1 + random() % 4);
          break;
        default:  // duplicate a slice
          if (!input.empty())
            input.insert(at, input.substr(random() % input.size(), random() % 16));
      }
    }
    LLVMFuzzerTestOneInput(reinterpret_cast<const uint8_t*>(input.data()), input.size());
  }
  std::printf("ran %zu corpus inputs and %ld mutations\n", corpus.size(), runs);
  return 0;
}
