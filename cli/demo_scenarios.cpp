#include "cli/demo_scenarios.hpp"

namespace gavel::cli {

namespace {

const char* const k_readme =
    "# shop\n\nPrices, carts and shipping for the demo shop.\n";

const char* const k_cart_before =
    "\"\"\"Shopping cart totals.\"\"\"\n"
    "\n"
    "\n"
    "def total(items):\n"
    "    return sum(item.price * item.quantity for item in items)\n";

// Debug print, trailing whitespace: both have mechanical fixes.
const char* const k_cart_after =
    "\"\"\"Shopping cart totals.\"\"\"\n"
    "\n"
    "\n"
    "def total(items, discount=0.0):\n"
    "    print(\"DEBUG total\", items)\n"
    "    subtotal = sum(item.price * item.quantity for item in items)   \n"
    "    return round(subtotal * (1 - discount), 2)\n";

// No final newline: a P3 nit, counted as P2.
const char* const k_shipping =
    "\"\"\"Shipping costs by weight.\"\"\"\n"
    "\n"
    "\n"
    "def shipping_cost(weight_kg):\n"
    "    return 5.0 if weight_kg < 2 else 5.0 + (weight_kg - 2) * 1.5";

const char* const k_client_before =
    "\"\"\"Client for the payments API.\"\"\"\n"
    "\n"
    "import os\n"
    "\n"
    "\n"
    "def token():\n"
    "    return os.environ[\"PAYMENTS_TOKEN\"]\n";

// Assembled from pieces so that secret scanners do not flag gavel's own source; the demo
// repository gets the whole token.
std::string client_after() {
  const std::string token = std::string("ghp_") + "R8xQ2mVt7Lp4Wz9" + "Kd3Nf6Hs1Jy5Bc0Ge8UaT";
  return "\"\"\"Client for the payments API.\"\"\"\n"
         "\n"
         "import os\n"
         "\n"
         "API_TOKEN = \"" + token + "\"\n"
         "\n"
         "\n"
         "def token():\n"
         "    return os.environ.get(\"PAYMENTS_TOKEN\", API_TOKEN)\n";
}

}  // namespace

DemoScenario converging_scenario() {
  return {
      "1. The agents converge",
      "A change adds a discount and a shipping module, with a debug print, trailing whitespace\n"
      "and a missing final newline. The demo sets a strict bar (P2 findings block), so the\n"
      "implementer must fix them; the reviewer checks its fixes.",
      {{"README.md", k_readme}, {"cart.py", k_cart_before}},
      {{"cart.py", k_cart_after}, {"shipping.py", k_shipping}},
      "Add an optional discount to cart totals and a shipping cost function.",
  };
}

DemoScenario disputed_scenario() {
  return {
      "2. The agents disagree",
      "A change falls back to a hard-coded API token. The reviewer raises it as P0; the builtin\n"
      "implementer has no mechanical fix and disputes it; the reviewer insists; the session\n"
      "escalates to the human arbiter.",
      {{"README.md", k_readme}, {"client.py", k_client_before}},
      {{"client.py", client_after()}},
      "Let the payments client run without PAYMENTS_TOKEN in local development.",
  };
}

}  // namespace gavel::cli
