"""The scan behind tests/unit/test_no_cypher_from_strings.py: where Cypher text comes from.

Walks the AST of c360graph/, bench/ and tests/ and follows every Cypher text and query name back
to its source (see that test module for the rules); also lists dynamic-Cypher escape hatches in
the `.cypher` files.
"""

from __future__ import annotations

import ast
import importlib
import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

from c360graph.db.cypher import all_queries

ROOT = Path(__file__).resolve().parents[1]
SCANNED = ("c360graph", "bench", "tests")
LOADER = ("c360graph.db.cypher", "query")  # the one function turning a name into Cypher
FILES = ("c360graph.db.cypher", "all_queries")  # every file's name
RUNNERS = frozenset({"read", "write", "stream", "write_all", "write_returning", "run_script"})
GRAPH_LIKE = re.compile(r"graph|loaders|service", re.IGNORECASE)  # receivers of RUNNERS
SESSION_LIKE = re.compile(r"session|tx|transaction|driver", re.IGNORECASE)  # of .run()
CYPHER_CLAUSE = re.compile(
    r"\b(?:OPTIONAL MATCH|MATCH|MERGE|UNWIND|DETACH DELETE|RETURN|CALL)\b\s*[(\w{$]"
)
_SCOPES = (ast.FunctionDef, ast.AsyncFunctionDef, ast.Lambda)
_COMPREHENSIONS = (ast.ListComp, ast.SetComp, ast.GeneratorExp, ast.DictComp)
_COPIES = frozenset({"sorted", "list", "tuple", "set", "frozenset", "reversed"})
_UNSET = object()

# Values the scan cannot follow to literals, each kept for a stated reason. An entry that
# excuses nothing fails the scan, so the list only shrinks. Keys: (file, the expression's
# source), or (file, "def NAME") for a function passing on a parameter nobody in view calls.
EXCEPTIONS: dict[tuple[str, str], str] = {
    **{
        ("c360graph/graph/ingest.py", source): (
            "names from PLANS and IDENTIFIERS (c360graph/graph/plans.py, schema.py): literals "
            "in the code, each checked to have a file by tests/unit/test_cypher_files.py"
        )
        for source in (
            "plan.existing_query",
            "plan.create_query",
            "plan.update_query",
            "plan.problems_query",
            "merge_steps(new + changed, plan, now)",
        )
    },
    **{
        ("bench/ingest.py", source): (
            "the ingest's own write statements, named by PLANS and IDENTIFIERS as in "
            "c360graph/graph/ingest.py, timed on prepared records beside raw CREATE"
        )
        for source in ("plan.create_query", "merge_steps(batch, plan, now)")
    },
    ("c360graph/resolve/store.py", "f'rules/{rule}_everywhere'"): (
        "the whole-graph form of a rule listed in resolution.yaml; test_cypher_files checks "
        "every packaged rule has both files"
    ),
    ("c360graph/resolve/store.py", "f'rules/{rule}'"): (
        "the rules listed in resolution.yaml (configuration, not request data); query() accepts "
        "only files that exist, and test_cypher_files checks the packaged rules have them"
    ),
    ("tests/unit/test_cypher_files.py", "'ingest/nope'"): "proves an unknown name fails loudly",
    # Test-only Cypher built from strings: these should become literal statements.
    (
        "tests/integration/test_analyze.py",
        "f'MATCH (i:Identity)-[:{relation}]->(g) RETURN i.id AS id, count(g) AS n'",
    ): "relation loops over a literal tuple: write the two statements out",
    (
        "tests/integration/test_explore_queries.py",
        "f'MATCH (n:{label}) WITH n LIMIT 200 UNWIND keys(n) AS k "
        "RETURN collect(DISTINCT k) AS keys'",
    ): "label comes from docs/c360graph.grass: filter on labels(n) with a parameter instead",
}


@dataclass
class Module:
    """One parsed Python file and its nodes' parents."""

    rel: str
    tree: ast.Module
    parents: dict[ast.AST, ast.AST] = field(default_factory=dict)

    @property
    def dotted(self) -> str:
        """The module's import name, e.g. `c360graph.db.graph`."""
        return self.rel.removesuffix(".py").removesuffix("/__init__").replace("/", ".")

    @property
    def is_test(self) -> bool:
        """Tests may run literal Cypher (assertion queries)."""
        return self.rel.startswith("tests/")

    @classmethod
    def parse(cls, rel: str, source: str) -> Module:
        """Parse `source` as the file `rel`."""
        module = cls(rel, ast.parse(source))
        for node in ast.walk(module.tree):
            for child in ast.iter_child_nodes(node):
                module.parents[child] = node
        return module


@dataclass(frozen=True)
class Binding:
    """Where a name gets its value: kind is assign, for, param, def, import, module or unknown."""

    kind: str
    node: ast.AST | None = None  # the value, loop iterable, function or def
    path: tuple[int, ...] = ()  # where the name sits in a tuple target
    name: str = ""  # the imported module
    attr: str = ""  # the imported attribute
    scope: ast.AST | None = None  # the function or module holding an assignment


@dataclass(frozen=True)
class Leaf:
    """Where a traced value ends: an expression, or an imported constant's value."""

    mod: Module
    node: ast.AST
    many: bool = False  # node is a collection and each of its items is the value
    path: tuple[int, ...] = ()  # the value's place within each item
    value: object = _UNSET


def _paths(target: ast.AST, name: str) -> Iterator[tuple[int, ...]]:
    if isinstance(target, ast.Name) and target.id == name:
        yield ()
    elif isinstance(target, ast.Tuple | ast.List):
        for index, element in enumerate(target.elts):
            for rest in _paths(element, name):
                yield (index, *rest)


def _own_nodes(scope: ast.AST) -> Iterator[ast.AST]:
    """The nodes of a scope's body, not those of scopes nested in it."""
    stack = list(ast.iter_child_nodes(scope))
    while stack:
        node = stack.pop()
        yield node
        if not isinstance(node, (*_SCOPES, ast.ClassDef, *_COMPREHENSIONS)):
            stack.extend(ast.iter_child_nodes(node))


def _params(function: ast.AST) -> list[str]:
    if not isinstance(function, _SCOPES):
        return []
    args = function.args
    return [a.arg for a in (*args.posonlyargs, *args.args, *args.kwonlyargs)]


def _project(node: ast.expr, path: tuple[int, ...]) -> ast.expr | None:
    for index in path:
        if not isinstance(node, ast.Tuple | ast.List) or index >= len(node.elts):
            return None
        node = node.elts[index]
    return node


def string_building(node: ast.AST) -> str | None:
    """How `node` builds a string from pieces, if it does."""
    if isinstance(node, ast.JoinedStr):
        return "an f-string"
    if isinstance(node, ast.BinOp) and isinstance(node.op, ast.Add | ast.Mod):
        return "`+` concatenation" if isinstance(node.op, ast.Add) else "`%` formatting"
    if isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute):
        if node.func.attr in {"format", "format_map"}:
            return "`.format`"
        if node.func.attr == "join":
            return "`str.join`"
    return None


def _receiver(node: ast.expr) -> str:
    while isinstance(node, ast.Subscript | ast.Await):
        node = node.value
    if isinstance(node, ast.Attribute):
        return node.attr
    return node.id if isinstance(node, ast.Name) else ""


def _called(func: ast.expr) -> str:
    """The bare name a call uses: `f` for `f(...)` and `m.f(...)`."""
    return func.attr if isinstance(func, ast.Attribute) else getattr(func, "id", "")


def _import(module: str, attr: str) -> object:
    return getattr(importlib.import_module(module), attr)


Function = ast.FunctionDef | ast.AsyncFunctionDef


def _names_in(target: ast.AST) -> Iterator[tuple[str, tuple[int, ...]]]:
    """The names an assignment target binds, each with its place in a tuple target."""
    if isinstance(target, ast.Name):
        yield target.id, ()
    elif isinstance(target, ast.Tuple | ast.List):
        for index, element in enumerate(target.elts):
            for name, rest in _names_in(element):
                yield name, (index, *rest)
    elif isinstance(target, ast.Starred):
        for name, _ in _names_in(target.value):
            yield name, (-1,)  # no single place: never traced


def _binds(node: ast.AST, scope: ast.AST) -> Iterator[tuple[str, Binding]]:
    """The names one statement or expression binds in `scope`, and how."""
    if isinstance(node, ast.Assign):
        for target in node.targets:
            for name, path in _names_in(target):
                yield name, Binding("unknown" if path else "assign", node.value, scope=scope)
    elif isinstance(node, ast.AnnAssign | ast.AugAssign | ast.NamedExpr):
        if isinstance(node.target, ast.Name):
            kind = "unknown" if isinstance(node, ast.AugAssign) or not node.value else "assign"
            yield node.target.id, Binding(kind, node.value, scope=scope)
    elif isinstance(node, ast.For | ast.AsyncFor):
        for name, path in _names_in(node.target):
            yield name, Binding("for", node.iter, path) if -1 not in path else Binding("unknown")
    elif isinstance(node, ast.With | ast.AsyncWith):
        for item in node.items:
            for name, _ in _names_in(item.optional_vars) if item.optional_vars else ():
                yield name, Binding("unknown")
    elif isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef | ast.ClassDef):
        yield node.name, Binding("def", node)
    elif isinstance(node, ast.ImportFrom) and node.module and not node.level:
        for alias in node.names:
            yield alias.asname or alias.name, Binding("import", name=node.module, attr=alias.name)
    elif isinstance(node, ast.Import):
        for alias in node.names:
            bound = alias.asname or alias.name.split(".")[0]
            yield bound, Binding("module", name=alias.name if alias.asname else bound)
    elif isinstance(node, ast.ExceptHandler) and node.name:
        yield node.name, Binding("unknown")


class Scanner:
    """Finds Cypher whose text or name does not come from a literal `cypher/` file name."""

    def __init__(self, modules: list[Module], known: set[str]) -> None:
        self.modules = modules
        self.known = known
        self.problems: set[str] = set()
        self.excused: set[tuple[str, str]] = set()
        self._seen: set[tuple[object, ...]] = set()
        self._scopes: dict[ast.AST, dict[str, list[Binding]]] = {}
        self._calls = {
            mod.rel: [n for n in ast.walk(mod.tree) if isinstance(n, ast.Call)] for mod in modules
        }
        self._judge: Callable[[Leaf], None] = self.judge_text

    # -- where a name gets its value ---------------------------------------------------------
    def bindings(self, mod: Module, name: str, at: ast.AST) -> list[Binding]:
        """Every place the name `name`, read at `at`, may get its value from."""
        scope = mod.parents.get(at)
        while scope is not None:
            found: list[Binding] = []
            if isinstance(scope, _COMPREHENSIONS):
                found = [
                    Binding("for", gen.iter, path)
                    for gen in scope.generators
                    for path in _paths(gen.target, name)
                ]
            elif isinstance(scope, (*_SCOPES, ast.Module)):
                found = [Binding("param", scope) for p in _params(scope) if p == name]
                found = found or self._scope(scope).get(name, [])
            if found:
                return found
            scope = mod.parents.get(scope)
        return [Binding("unknown")]

    def _scope(self, scope: ast.AST) -> dict[str, list[Binding]]:
        """What the body of a function or module binds, by name (computed once)."""
        if scope not in self._scopes:
            found: dict[str, list[Binding]] = {}
            for node in _own_nodes(scope):
                for name, binding in _binds(node, scope):
                    found.setdefault(name, []).append(binding)
            self._scopes[scope] = found
        return self._scopes[scope]

    @staticmethod
    def _added(binding: Binding, name: str) -> Iterator[tuple[bool, ast.expr]]:
        """What the scope adds to the collection `name`: (True, item) or (False, items)."""
        for node in _own_nodes(binding.scope) if binding.scope else ():
            if isinstance(node, ast.Assign):
                for target in node.targets:
                    owner = target.value if isinstance(target, ast.Subscript) else None
                    if isinstance(owner, ast.Name) and owner.id == name:
                        yield True, node.value
            elif isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute):
                owner, method, args = node.func.value, node.func.attr, node.args
                if not isinstance(owner, ast.Name) or owner.id != name or not args:
                    continue
                if method in {"append", "add", "insert"}:
                    yield True, args[-1]
                elif method in {"extend", "update"}:
                    yield False, args[0]

    def _stores(self, mod: Module, node: ast.Attribute) -> Iterator[tuple[bool, ast.expr]]:
        """Values this module stores into `self.x`: (True, whole) or (False, an item)."""
        for other in ast.walk(mod.tree):
            if isinstance(other, ast.Assign):
                for target in other.targets:
                    inner = target.value if isinstance(target, ast.Subscript) else target
                    if (
                        isinstance(inner, ast.Attribute)
                        and inner.attr == node.attr
                        and ast.dump(inner.value) == ast.dump(node.value)
                    ):
                        yield inner is target, other.value

    def is_named(self, mod: Module, func: ast.expr, module: str, attr: str) -> bool:
        """True when `func` is `module.attr`, however imported."""
        if isinstance(func, ast.Name):
            return (mod.dotted, func.id) == (module, attr) or any(
                (b.kind, b.name, b.attr) == ("import", module, attr)
                for b in self.bindings(mod, func.id, func)
            )
        if not isinstance(func, ast.Attribute) or not isinstance(func.value, ast.Name):
            return False
        return func.attr == attr and any(
            (b.kind == "module" and b.name == module)
            or (b.kind == "import" and f"{b.name}.{b.attr}" == module)
            for b in self.bindings(mod, func.value.id, func)
        )

    def _is_query(self, mod: Module, node: ast.expr) -> bool:
        """True for `query(...)`, or a name only ever bound to one."""
        if isinstance(node, ast.Call):
            return self.is_named(mod, node.func, *LOADER)
        return isinstance(node, ast.Name) and all(
            b.kind == "assign" and isinstance(b.node, ast.expr) and self._is_query(mod, b.node)
            for b in self.bindings(mod, node.id, node)
        )

    # -- following a value back ------------------------------------------------------------
    def flow(
        self,
        mod: Module,
        node: ast.expr,
        many: bool = False,
        path: tuple[int, ...] = (),
        view: str = "iter",
    ) -> Iterator[Leaf]:
        """Where `node` (or, when `many`, each item's part at `path`) may get its value from."""
        key = (mod.rel, id(node), many, path, view)
        if key in self._seen:
            return
        self._seen.add(key)
        if isinstance(node, ast.IfExp):
            yield from self.flow(mod, node.body, many, path, view)
            yield from self.flow(mod, node.orelse, many, path, view)
        elif isinstance(node, ast.Name):
            yield from self._name(mod, node, many, path, view)
        elif isinstance(node, ast.Subscript) and not many:
            yield from self.flow(mod, node.value, True, (), "values")
        elif isinstance(node, ast.Attribute) and isinstance(node.value, ast.Name):
            stores = list(self._stores(mod, node))
            for whole, value in stores:
                if whole:
                    yield from self.flow(mod, value, many, path, view)
                elif many:
                    yield from self._item(mod, value, path)
            if not stores:
                yield Leaf(mod, node, many, path)
        elif many and isinstance(node, ast.List | ast.Tuple | ast.Set):
            for element in node.elts:
                yield from self._item(mod, element, path)
        elif many and isinstance(node, ast.Dict):
            for item in node.keys if view == "iter" else node.values:
                yield from self._item(mod, item, path) if item else iter(())
        elif many and isinstance(node, _COMPREHENSIONS):
            if isinstance(node, ast.DictComp):
                yield from self._item(mod, node.key if view == "iter" else node.value, path)
            else:
                yield from self._item(mod, node.elt, path)
        elif many and isinstance(node, ast.Call) and len(node.args) == 1:
            copied = isinstance(node.func, ast.Name) and node.func.id in _COPIES
            yield from (
                self.flow(mod, node.args[0], True, path, view)
                if copied
                else [Leaf(mod, node, many, path)]
            )
        elif many and isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute):
            owner, method = node.func.value, node.func.attr
            if method in {"keys", "values"} and not node.args:
                yield from self.flow(
                    mod, owner, True, path, "iter" if method == "keys" else "values"
                )
            elif method == "items" and not node.args and path and path[0] in (0, 1):
                yield from self.flow(mod, owner, True, path[1:], ("iter", "values")[path[0]])
            else:
                yield Leaf(mod, node, many, path)
        else:
            yield Leaf(mod, node, many, path)

    def _item(self, mod: Module, node: ast.expr, path: tuple[int, ...]) -> Iterator[Leaf]:
        item = _project(node, path)
        yield from self.flow(mod, item) if item is not None else [Leaf(mod, node)]

    def _name(
        self, mod: Module, node: ast.Name, many: bool, path: tuple[int, ...], view: str
    ) -> Iterator[Leaf]:
        for b in self.bindings(mod, node.id, node):
            if b.kind == "assign" and isinstance(b.node, ast.expr):
                yield from self.flow(mod, b.node, many, path, view)
            elif b.kind == "for" and isinstance(b.node, ast.expr) and not many:
                yield from self.flow(mod, b.node, True, b.path)
            elif b.kind == "param" and isinstance(b.node, _SCOPES):
                yield from self._forwarded(mod, b.node, node.id, many, path, view)
            elif b.kind == "import":
                yield from self._constant(mod, node, _import(b.name, b.attr), many, path, view)
            else:
                yield Leaf(mod, node, many, path)
            for single, added in self._added(b, node.id) if many else ():
                yield from (
                    self._item(mod, added, path)
                    if single
                    else self.flow(mod, added, True, path, view)
                )

    @staticmethod
    def _constant(
        mod: Module, node: ast.expr, value: object, many: bool, path: tuple[int, ...], view: str
    ) -> Iterator[Leaf]:
        if isinstance(value, dict):
            value = list(value) if view == "iter" else list(value.values())
        if not many or not isinstance(value, tuple | list | set | frozenset):
            yield Leaf(mod, node, many, path, value)
            return
        for item in value:
            for index in path:
                item = item[index]
            yield Leaf(mod, node, value=item)

    # -- functions passing a value on ------------------------------------------------------------
    @staticmethod
    def _class_of(mod: Module, node: ast.AST) -> ast.ClassDef | None:
        parent = mod.parents.get(node)
        while parent is not None and not isinstance(parent, ast.ClassDef):
            parent = mod.parents.get(parent)
        return parent

    def _runner_class(self, mod: Module, cls: ast.ClassDef | None) -> bool:
        """A class with a RUNNERS method taking `name` first (Graph, QueryService, Loaders...)."""
        if cls is None:
            return False
        if any(
            isinstance(item, ast.FunctionDef | ast.AsyncFunctionDef)
            and item.name in RUNNERS
            and _params(item)[1:2] == ["name"]
            for item in cls.body
        ):
            return True
        bases = {base.id for base in cls.bases if isinstance(base, ast.Name)}
        return any(
            isinstance(other, ast.ClassDef)
            and other.name in bases
            and self._runner_class(mod, other)
            for other in mod.tree.body
        )

    def is_runner_call(self, mod: Module, call: ast.Call) -> bool:
        """True for `graph.read(...)`, `loaders.read(...)`, `self.write(...)` in Graph..."""
        func = call.func
        if not isinstance(func, ast.Attribute) or func.attr not in RUNNERS:
            return False
        receiver = _receiver(func.value)
        if receiver == "self":
            return self._runner_class(mod, self._class_of(mod, call))
        return bool(GRAPH_LIKE.search(receiver))

    def _forwarded(
        self,
        mod: Module,
        function: ast.AST,
        param: str,
        many: bool,
        path: tuple[int, ...],
        view: str,
    ) -> Iterator[Leaf]:
        """What the callers of `function` pass as `param`."""
        if not isinstance(function, ast.FunctionDef | ast.AsyncFunctionDef):
            yield Leaf(mod, function, many, path)  # a lambda: its callers are out of sight
            return
        if (
            self._judge == self.judge_name
            and function.name in RUNNERS
            and self._runner_class(mod, self._class_of(mod, function))
        ):
            return  # a name given to Graph.read and its kin: every call of them is a sink
        found = False
        for caller, call, offset in self._callers(mod, function):
            found = True
            argument = self._argument(caller, mod, function, param, call, offset)
            if argument is None:
                yield Leaf(caller, call, many, path)
            else:
                yield from self.flow(*argument, many, path, view)
        for values, at in self._parametrized(function, param):
            found = True
            yield from self.flow(mod, values, True, at) if not many else [Leaf(mod, values, many)]
        if not found:
            self.fail(
                mod,
                function,
                f"{function.name} passes its `{param}` on as a query, but no caller is in view",
                f"def {function.name}",
            )

    @staticmethod
    def _parametrized(function: Function, param: str) -> Iterator[tuple[ast.expr, tuple[int, ...]]]:
        """The values `@pytest.mark.parametrize` gives `param`, and its place in each."""
        for decorator in function.decorator_list:
            if not isinstance(decorator, ast.Call) or len(decorator.args) < 2:
                continue
            argnames = decorator.args[0]
            if not ast.unparse(decorator.func).endswith("mark.parametrize"):
                continue
            if isinstance(argnames, ast.Constant):  # "a, b"
                names = [name.strip() for name in str(argnames.value).split(",")]
            elif isinstance(argnames, ast.Tuple | ast.List):  # ("a", "b")
                names = [ast.literal_eval(name) for name in argnames.elts]
            else:
                continue
            if param in names:
                yield decorator.args[1], (names.index(param),) if len(names) > 1 else ()

    def _callers(self, mod: Module, function: Function) -> Iterator[tuple[Module, ast.Call, int]]:
        """Calls of `function`: (module, call, how many leading parameters are already bound)."""
        parent = mod.parents.get(function)
        method = isinstance(parent, ast.ClassDef)
        local = function.name.startswith("_") or not (method or parent is mod.tree)
        for other in self.modules:
            if local and other is not mod:
                continue
            for node in self._calls[other.rel]:
                call = node
                if _called(node.func) == "partial" and node.args:
                    # partial(f, a, b) calls f(a, b, ...) later
                    call = ast.Call(node.args[0], node.args[1:], node.keywords)
                    ast.copy_location(call, node)
                func = call.func
                if isinstance(func, ast.Attribute) and func.attr == function.name and method:
                    yield other, call, 1
                elif isinstance(func, ast.Name) and func.id == function.name and not method:
                    if any(
                        b.node is function
                        or (b.kind, b.name, b.attr) == ("import", mod.dotted, function.name)
                        for b in self.bindings(other, func.id, node)
                    ):
                        yield other, call, 0
                elif isinstance(func, ast.Attribute) and self.is_named(
                    other, func, mod.dotted, function.name
                ):
                    yield other, call, 0

    @staticmethod
    def _argument(
        caller: Module, mod: Module, function: Function, param: str, call: ast.Call, offset: int
    ) -> tuple[Module, ast.expr] | None:
        """What `call` passes as `param` (the default if nothing), or None when unseen."""
        for keyword in call.keywords:
            if keyword.arg == param:
                return caller, keyword.value
        args = function.args
        positional = [a.arg for a in (*args.posonlyargs, *args.args)]
        index = positional.index(param) - offset if param in positional else len(call.args)
        if any(isinstance(a, ast.Starred) for a in call.args[: index + 1]):
            return None
        if index < len(call.args):
            return caller, call.args[index]
        if any(k.arg is None for k in call.keywords):
            return None
        defaults = dict(
            zip(positional[len(positional) - len(args.defaults) :], args.defaults, strict=True)
        )
        defaults.update(
            (a.arg, d) for a, d in zip(args.kwonlyargs, args.kw_defaults, strict=True) if d
        )
        return (mod, defaults[param]) if param in defaults else None

    # -- the checks ------------------------------------------------------------------------------
    def fail(self, mod: Module, node: ast.AST, problem: str, key: str = "") -> None:
        """Record a problem at `node`, unless EXCEPTIONS excuse it (by source, or `key`)."""
        excuse = (mod.rel, key or ast.unparse(node))
        if excuse in EXCEPTIONS:
            self.excused.add(excuse)
        else:
            self.problems.add(f"{mod.rel}:{getattr(node, 'lineno', '?')}: {problem}")

    def check(
        self,
        judge: Callable[[Leaf], None],
        mod: Module,
        node: ast.expr,
        many: bool = False,
        path: tuple[int, ...] = (),
    ) -> None:
        """Judge every leaf the value of `node` may come from."""
        self._seen, self._judge = set(), judge
        for leaf in list(self.flow(mod, node, many, path)):
            judge(leaf)

    def judge_text(self, leaf: Leaf) -> None:
        """Cypher text must be a file's: `query(name).text`, or `.statements` items."""
        mod, node, source = leaf.mod, leaf.node, ast.unparse(leaf.node)
        if leaf.value is not _UNSET:
            self.fail(mod, node, f"runs an imported constant as Cypher: {source}")
        elif isinstance(node, ast.Attribute) and node.attr in {"text", "statements"}:
            if node.attr != (
                "statements" if leaf.many and not leaf.path else "text"
            ) or not self._is_query(mod, node.value):
                self.fail(mod, node, f"runs Cypher it cannot trace to query(): {source}")
        elif leaf.many:
            self.fail(mod, node, f"runs Cypher from a collection it cannot trace: {source}")
        elif isinstance(node, ast.Constant) and isinstance(node.value, str):
            if not mod.is_test:
                self.fail(mod, node, f"runs a string literal as Cypher: {source[:60]}")
        elif built := string_building(node):
            self.fail(mod, node, f"runs Cypher built by {built}: {source[:80]}")
        else:
            self.fail(mod, node, f"runs Cypher it cannot trace to cypher/: {source[:80]}")

    def judge_name(self, leaf: Leaf) -> None:
        """A query name must be a literal naming a file, or come from all_queries()."""
        mod, node, source = leaf.mod, leaf.node, ast.unparse(leaf.node)
        if leaf.value is not _UNSET or (isinstance(node, ast.Constant) and not leaf.many):
            name = leaf.value if leaf.value is not _UNSET else getattr(node, "value", None)
            if name not in self.known:
                self.fail(mod, node, f"names no file: cypher/{name}.cypher")
        elif (
            leaf.many
            and not leaf.path
            and isinstance(node, ast.Call)
            and self.is_named(mod, node.func, *FILES)
        ):
            pass  # the names of the files themselves
        elif not leaf.many and (built := string_building(node)):
            self.fail(mod, node, f"picks a query by a name built by {built}: {source}")
        else:
            self.fail(mod, node, f"picks a query by a name it cannot trace: {source}")

    def scan(self) -> list[str]:
        """Every problem in the modules, sorted."""
        for mod in self.modules:
            for call in self._calls[mod.rel]:
                self._sink(mod, call)
        return sorted(self.problems)

    def _sink(self, mod: Module, call: ast.Call) -> None:
        func = call.func
        first = call.args[0] if call.args else None
        if isinstance(func, ast.Attribute) and func.attr in {"run", "execute_query"}:
            if SESSION_LIKE.search(_receiver(func.value)):
                text = first or next((k.value for k in call.keywords if k.arg == "query"), None)
                if text is None:
                    self.fail(mod, call, "runs Cypher passed in a way the scan cannot see")
                else:
                    self.check(self.judge_text, mod, text)
            elif first is not None and (built := string_building(first)):
                self.fail(mod, first, f"passes a string built by {built} to .run()")
        if isinstance(func, ast.Attribute) and func.attr in {"execute_read", "execute_write"}:
            work = first
            if not isinstance(work, ast.Lambda) and not (
                isinstance(work, ast.Name)
                and all(b.kind == "def" for b in self.bindings(mod, work.id, work))
            ):
                self.fail(
                    mod, call, f"{func.attr} of work the scan cannot read: {ast.unparse(call)}"
                )
        if self.is_named(mod, func, *LOADER) or self.is_runner_call(mod, call):
            name = first or next((k.value for k in call.keywords if k.arg == "name"), None)
            if name is None:
                self.fail(mod, call, "runs a query whose name the scan cannot see")
            elif isinstance(func, ast.Attribute) and func.attr == "write_all":
                self.check(self.judge_name, mod, name, True, (0,))
            else:
                self.check(self.judge_name, mod, name)


def repository_modules() -> list[Module]:
    """Every Python module of the scanned folders, parsed."""
    return [
        Module.parse(path.relative_to(ROOT).as_posix(), path.read_text(encoding="utf-8"))
        for top in SCANNED
        for path in sorted((ROOT / top).rglob("*.py"))
    ]


def scan_modules(*modules: Module) -> list[str]:
    """The problems the scan finds in `modules`."""
    return Scanner(list(modules), set(all_queries())).scan()


# -- the .cypher files -----------------------------------------------------------------------

ESCAPE_HATCHES: dict[str, re.Pattern[str]] = {
    "runs a Cypher string (apoc.cypher.*)": re.compile(r"\bapoc\.cypher\.\w+", re.I),
    "runs Cypher strings in batches (apoc.periodic.*)": re.compile(
        r"\bapoc\.periodic\.(?:iterate|commit|submit|repeat|schedule|truncate)\b", re.I
    ),
    "runs a Cypher string picked at run time (apoc.when/case)": re.compile(
        r"\bapoc\.(?:do\.)?(?:when|case)\b", re.I
    ),
    "takes labels, types or property names as data (apoc.create/merge/refactor)": re.compile(
        r"\bapoc\.(?:create|merge|refactor|nodes\.link|path\.create)\.?\w*", re.I
    ),
    "reads or writes files or URLs": re.compile(
        r"\bapoc\.(?:load|import|export)\.\w+|\bLOAD\s+CSV\b", re.I
    ),
    "calls a db.* or dbms.* procedure": re.compile(r"\bCALL\s+(?:db|dbms)\.\w+", re.I),
    "takes a label or type from a parameter ($(...) syntax)": re.compile(r":\s*\$\w*\s*\("),
    "puts a parameter in a label or type position": re.compile(
        r"(?:[(\[]\s*\w*|\b(?:SET|REMOVE|WHERE|AND|OR|NOT)\s+\w+)\s*:\s*\$", re.I
    ),
    "reads or writes a property named by a parameter": re.compile(r"\w\s*\[\s*\$\w+\s*\]"),
}


def escape_hatches(text: str) -> list[str]:
    """The escape hatches in a .cypher file's text, comments and strings ignored."""
    code = re.sub(r"//[^\n]*|'(?:[^'\\]|\\.)*'|\"(?:[^\"\\]|\\.)*\"", "''", text)
    return [why for why, pattern in ESCAPE_HATCHES.items() if pattern.search(code)]
