//===- Explain.h - Static requires_grad and grad_fn -------------*- C++ -*-===//
//
// adjoint-gen --explain and --graph=dot: for each ADJOINT_GRAD function, which
// variables are active (PyTorch's requires_grad: they depend on a
// differentiated input and reach the output) and which are not, and why; and
// the backward graph the generated code walks, with PyTorch's node names
// (AddBackward0, MmBackward0, ..., AccumulateGrad for the inputs).
//
// The graph is read from the source: straight-line code gives exactly the
// graph PyTorch would record; the nodes of a loop or branch body are shown
// once and marked ("inside a loop", "inside a branch"). matmul's node depends
// on the operands' ranks, which are inferred from tensor factories and from
// the calls to the function in the translation unit; when they are unknown,
// MmBackward0 (2-D . 2-D) is assumed and the node says so.
//
//===----------------------------------------------------------------------===//
#ifndef ADJOINT_CORE_EXPLAIN_H
#define ADJOINT_CORE_EXPLAIN_H

#include "clang/AST/ASTContext.h"

#include <string>
#include <vector>

namespace adjoint {

/// A node of the backward graph: a differentiable operation on active values
/// (a grad_fn) or, for a differentiated input, its AccumulateGrad leaf.
struct GraphNode {
  /// PyTorch's name: "AddBackward0", "MmBackward0", "AccumulateGrad", or
  /// "<function>Backward" for a call to a user function.
  std::string Name;
  /// True for an AccumulateGrad leaf.
  bool Leaf = false;
  /// The leaf's parameter, or the variable the operation's value is assigned
  /// to (empty for a temporary).
  std::string Variable;
  /// The operation's source text (shortened).
  std::string Expr;
  /// Line of the operation in the main file (0 for leaves).
  unsigned Line = 0;
  /// "inside a loop", "inside a branch", ... or empty.
  std::string Context;
  /// Extra remark, e.g. ranks assumed for matmul.
  std::string Note;
  /// The nodes whose values the operation takes: PyTorch's next_functions.
  std::vector<unsigned> Inputs;
};

/// What --explain says about one variable (or the result).
struct VariableFact {
  std::string Name;
  /// "parameter", "local" or "result".
  std::string Kind;
  bool Active = false;
  /// Why it is (in)active.
  std::string Reason;
  /// Nodes producing its last value (its grad_fn); several after branches.
  std::vector<unsigned> GradFn;
};

/// The explanation of one annotated function.
struct FunctionExplanation {
  std::string Name;
  std::string File;
  unsigned Line = 0;
  /// The differentiated parameters.
  std::vector<std::string> Wrt;
  /// Parameters, then locals in declaration order, then the result.
  std::vector<VariableFact> Variables;
  /// Every node built while walking the body (not all reach the output).
  std::vector<GraphNode> Nodes;
  /// The outputs ("result" or an output parameter) and their grad_fn nodes:
  /// the roots of the backward graph.
  std::vector<std::pair<std::string, std::vector<unsigned>>> Roots;
  /// Remarks about the whole function.
  std::vector<std::string> Notes;
};

/// Explains every ADJOINT_GRAD function of the main file of \p Ctx, in
/// source order.
std::vector<FunctionExplanation> explainGradients(clang::ASTContext &Ctx);

/// The --explain text.
std::string formatExplanation(const std::vector<FunctionExplanation> &Fns);

/// The graph as Graphviz DOT: one cluster per function, edges from the
/// leaves (inputs) towards the root (the output).
std::string formatDot(const std::vector<FunctionExplanation> &Fns);

/// One line per root: "Root <- Input, (Inner <- ...)", PyTorch's chain of
/// grad_fn.next_functions.
std::string formatChain(const FunctionExplanation &F,
                        const std::vector<unsigned> &Root);

} // namespace adjoint

#endif // ADJOINT_CORE_EXPLAIN_H
