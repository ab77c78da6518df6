import {
  HclSyntaxError,
  formatPos,
  type HclFile,
  type ListNode,
  type Node,
  type ObjectItem,
  type ObjectKey,
  type ObjectNode,
  type Pos,
} from "./ast.js";
import { Scanner, type Token } from "./scanner.js";

/**
 * Parses HCL 1 native syntax as `github.com/hashicorp/hcl v1.0.1-vault-7` does, including its
 * error on an argument set twice in one body (docs/contract/auth/spec.md §3.1 decoding quirks).
 * @throws HclSyntaxError
 */
export function parseNative(text: string): HclFile {
  const parser = new NativeParser(new Scanner(text));
  const items = parser.objectList(false);
  return { items, json: false };
}

class NativeParser {
  readonly #scanner: Scanner;
  #buffered: Token | undefined;

  constructor(scanner: Scanner) {
    this.#scanner = scanner;
  }

  objectList(inObject: boolean): ObjectItem[] {
    const items: ObjectItem[] = [];
    const assigned = new Set<string>();
    for (;;) {
      const next = this.#peek();
      if (next.type === "eof") {
        if (inObject) throw new HclSyntaxError("object expected closing RBRACE got: EOF", next.pos);
        return items;
      }
      if (inObject && next.type === "rbrace") return items;
      const item = this.#objectItem();
      this.#checkDuplicate(item, assigned);
      items.push(item);
      if (this.#peek().type === "comma") this.#take();
    }
  }

  // hcl v1.0.1-vault-7 hcl/parser/parser.go:111-124: keys of assignments compared by token text
  // (quoted and bare differ, case matters); the plain error names the repeated occurrence.
  #checkDuplicate(item: ObjectItem, assigned: Set<string>): void {
    if (!item.assign) return;
    for (const key of item.keys) {
      const text = key.text ?? key.value;
      if (assigned.has(text)) {
        const message = `The argument ${JSON.stringify(text)} at ${formatPos(key.pos)} was already set. Each argument can only be defined once`;
        throw new HclSyntaxError(message, key.pos, false);
      }
      assigned.add(text);
    }
  }

  #objectItem(): ObjectItem {
    const keys = this.#objectKeys();
    const token = this.#take();
    if (token.type === "assign") {
      if (keys.length > 1) throw new HclSyntaxError(`nested object expected: LBRACE got: ASSIGN`, token.pos);
      return { keys, assign: true, value: this.#value(), json: false };
    }
    if (token.type === "lbrace") return { keys, assign: false, value: this.#objectBody(token.pos), json: false };
    const names = keys.map((key) => key.value).join(" ");
    throw new HclSyntaxError(`key '${names}' expected start of object ('{') or assignment ('=')`, token.pos);
  }

  #objectKeys(): ObjectKey[] {
    const keys: ObjectKey[] = [];
    for (;;) {
      const token = this.#peek();
      if (token.type !== "ident" && token.type !== "string") break;
      this.#take();
      keys.push({ value: token.type === "string" ? token.value : token.text, text: token.text, pos: token.pos });
    }
    const next = this.#peek();
    if (keys.length === 0)
      throw new HclSyntaxError(`expected: IDENT | STRING got: ${next.type.toUpperCase()}`, next.pos);
    return keys;
  }

  #value(): Node {
    const token = this.#take();
    switch (token.type) {
      case "string":
      case "heredoc":
      case "number":
      case "float":
      case "bool":
        return literal(token);
      case "lbrace":
        return this.#objectBody(token.pos);
      case "lbrack":
        return this.#list(token.pos);
      default:
        throw new HclSyntaxError(`Unknown token: ${token.type.toUpperCase()} ${token.text}`, token.pos);
    }
  }

  #objectBody(pos: Pos): ObjectNode {
    const items = this.objectList(true);
    this.#take();
    return { type: "object", items, pos };
  }

  #list(pos: Pos): ListNode {
    const items: Node[] = [];
    let needComma = false;
    for (;;) {
      const token = this.#take();
      if (token.type === "rbrack") return { type: "list", items, pos };
      if (token.type === "comma" && needComma) {
        needComma = false;
        continue;
      }
      if (needComma)
        throw new HclSyntaxError(
          `error parsing list, expected comma or list end, got: ${token.type.toUpperCase()}`,
          token.pos,
        );
      items.push(this.#listElement(token));
      needComma = token.type !== "lbrack";
    }
  }

  #listElement(token: Token): Node {
    if (["string", "heredoc", "number", "float", "bool"].includes(token.type)) return literal(token);
    if (token.type === "lbrace") return this.#objectBody(token.pos);
    if (token.type === "lbrack") return this.#list(token.pos);
    throw new HclSyntaxError(`unexpected token while parsing list: ${token.type.toUpperCase()}`, token.pos);
  }

  #peek(): Token {
    this.#buffered ??= this.#scanner.next();
    return this.#buffered;
  }

  #take(): Token {
    const token = this.#peek();
    this.#buffered = undefined;
    return token;
  }
}

function literal(token: Token): Node {
  const kind = token.type as "string" | "heredoc" | "number" | "float" | "bool";
  return { type: "literal", kind, text: token.text, value: token.value, pos: token.pos };
}
