#include "engine.hpp"

#include <algorithm>

namespace game {

void Engine::tick(double dt) {
<<<<<<< HEAD
  m_elapsed += dt * m_time_scale;
=======
  m_elapsed += std::min(dt, k_max_step);
>>>>>>> feature/fixed-step
  for (auto& body : m_bodies) body.integrate(dt);
}

int Engine::score() const { return m_score; }

}  // namespace game
