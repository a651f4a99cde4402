import js from "@eslint/js";
import tseslint from "typescript-eslint";

export default tseslint.config(
  { ignores: ["dist/**", "node_modules/**", "src/dashboard/web/dist/**", "bench/results/**"] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    rules: {
      "@typescript-eslint/no-explicit-any": "off",
      "@typescript-eslint/no-unused-vars": ["error", { argsIgnorePattern: "^_", varsIgnorePattern: "^_" }],
      "no-constant-condition": ["error", { checkLoops: false }],
      // No shell with user text: child processes get argument vectors (see SECURITY.md).
      "no-restricted-syntax": [
        "error",
        { selector: "CallExpression[callee.property.name='exec'][callee.object.name='child_process']", message: "Use execFile/spawn with an argument vector." },
        { selector: "Property[key.name='shell'][value.value=true]", message: "Never spawn a shell." }
      ]
    },
  },
);
