// The JSON Schemas handed to agents for structured output (codex --output-schema, claude
// --json-schema, OpenAI/Anthropic structured output). OpenAI strict mode rules: every object has
// "additionalProperties": false and lists every property in "required"; an optional value is a
// type array with "null". tests/unit/review/report_parser_test.cpp checks both rules.
#include "review/report_parser.hpp"

namespace gavel::review {

namespace {

constexpr const char* k_reviewer_schema = R"json({
  "title": "gavel reviewer output",
  "type": "object",
  "additionalProperties": false,
  "required": ["findings", "overall_correctness", "overall_explanation",
               "overall_confidence_score", "prior"],
  "properties": {
    "findings": {
      "type": "array",
      "items": {
        "type": "object",
        "additionalProperties": false,
        "required": ["title", "body", "confidence_score", "priority", "code_location",
                     "category", "suggested_fix"],
        "properties": {
          "title": {"type": "string", "description": "One line, at most 80 characters."},
          "body": {"type": "string", "description": "Why this is a problem, with evidence."},
          "confidence_score": {"type": "number", "minimum": 0, "maximum": 1},
          "priority": {"type": "integer", "minimum": 0, "maximum": 3,
                       "description": "0 blocking, 1 must fix before commit, 2 should fix, 3 nit."},
          "code_location": {
            "type": "object",
            "additionalProperties": false,
            "required": ["absolute_file_path", "line_range"],
            "properties": {
              "absolute_file_path": {"type": "string"},
              "line_range": {
                "type": "object",
                "additionalProperties": false,
                "required": ["start", "end"],
                "properties": {
                  "start": {"type": "integer", "minimum": 1},
                  "end": {"type": "integer", "minimum": 1}
                }
              }
            }
          },
          "category": {"type": ["string", "null"]},
          "suggested_fix": {"type": ["string", "null"],
                            "description": "A unified diff against the files under review."}
        }
      }
    },
    "overall_correctness": {"type": "string", "enum": ["patch is correct", "patch is incorrect"]},
    "overall_explanation": {"type": "string"},
    "overall_confidence_score": {"type": "number", "minimum": 0, "maximum": 1},
    "prior": {
      "type": "array",
      "items": {
        "type": "object",
        "additionalProperties": false,
        "required": ["id", "title", "verdict", "note"],
        "properties": {
          "id": {"type": ["string", "null"]},
          "title": {"type": ["string", "null"]},
          "verdict": {"type": "string", "enum": ["resolved", "still_open", "withdrawn"]},
          "note": {"type": "string"}
        }
      }
    }
  }
}
)json";

constexpr const char* k_implementer_schema = R"json({
  "title": "gavel implementer output",
  "type": "object",
  "additionalProperties": false,
  "required": ["patch", "responses", "summary"],
  "properties": {
    "patch": {"type": ["string", "null"],
              "description": "Unified diff against the files shown; null or empty when the files were edited in place."},
    "responses": {
      "type": "array",
      "items": {
        "type": "object",
        "additionalProperties": false,
        "required": ["finding", "action", "rationale"],
        "properties": {
          "finding": {"type": "string", "description": "gavel's finding id, or its title."},
          "action": {"type": "string", "enum": ["fixed", "disputed"]},
          "rationale": {"type": "string"}
        }
      }
    },
    "summary": {"type": "string"}
  }
}
)json";

}  // namespace

const std::string& reviewer_output_schema() {
  static const std::string schema(k_reviewer_schema);
  return schema;
}

const std::string& implementer_output_schema() {
  static const std::string schema(k_implementer_schema);
  return schema;
}

}  // namespace gavel::review
