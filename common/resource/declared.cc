#include "common/resource/declared.h"

#include <cstdio>
#include <cstdlib>

#include "common/identity/access.h"

namespace metrocap::resource {

WriteAccess AdminOnly(std::string collection) {
  return [collection = std::move(collection)](const identity::Caller& caller,
                                              const WriteTarget& target) {
    return identity::RequireAdmin(caller, absl::StrCat(target.action, " ", collection));
  };
}

WriteAccess GrantedParent() {
  return [](const identity::Caller& caller, const WriteTarget& target) {
    return identity::RequireWriteFor(caller, target.parent);
  };
}

WritableFields ForEveryCaller(std::vector<std::string> fields) {
  return [fields = std::move(fields)](const identity::Caller&) { return fields; };
}

void DeclarationError(const std::string& collection) {
  std::fprintf(stderr,
               "resource: the declaration of \"%s\" needs a schema, writable fields and write "
               "access, and both halves of read access or neither\n",
               collection.c_str());
  std::abort();
}

}  // namespace metrocap::resource
