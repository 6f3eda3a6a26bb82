import OpenAI from "openai";
import Anthropic from "@anthropic-ai/sdk";

const openai = new OpenAI({ apiKey: "sk-proj-%JOIN%8zRA9a9SkpXz9w3QlY7Zkuvqdt7s8Stqcbnr3yBdGBLEPH1q" });
const anthropic = new Anthropic({ apiKey: process.env.ANTHROPIC_API_KEY });

export async function summarise(text: string): Promise<string> {
  const r = await openai.chat.completions.create({
    model: "gpt-4o-mini",
    messages: [{ role: "user", content: "Summarise:\n" + text }],
  });
  return r.choices[0].message.content ?? "";
}

export { anthropic };
