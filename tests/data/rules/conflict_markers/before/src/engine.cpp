#include "engine.hpp"

#include <algorithm>

namespace game {

void Engine::tick(double dt) {
  m_elapsed += dt;
  for (auto& body : m_bodies) body.integrate(dt);
}

int Engine::score() const { return m_score; }

}  // namespace game
