//===- TypeFacts.cpp - Which types can hold or write derivatives ----------===//
//
// The soundness rule needs to know, for any type, whether a value of it can
// carry a derivative at all, and whether passing it to a callee lets the
// callee write such values. Both answers must err towards "yes": a "no" that
// is wrong drops a dependency and gives a silently wrong gradient.
//
//===----------------------------------------------------------------------===//

#include "DiffRequest.h"

#include "clang/AST/ASTContext.h"
#include "clang/AST/DeclCXX.h"
#include "clang/AST/DeclTemplate.h"
#include "clang/Basic/SourceManager.h"
#include "llvm/ADT/SmallPtrSet.h"
#include "llvm/ADT/StringSwitch.h"

using namespace clang;

namespace adjoint {

namespace {

/// Whether \p RD is a standard container or adjoint::Tensor: classes whose
/// copies are deep and whose constness covers their elements, so that a
/// const reference or a copy gives a callee no way to write the caller's
/// elements. std::pair, std::tuple and std::optional are not such classes:
/// they may hold pointers, and their fields are walked like any class's.
bool isOwningContainer(const CXXRecordDecl *RD) {
  if (isTensorRecord(RD))
    return true;
  if (!RD->isInStdNamespace() || !RD->getIdentifier())
    return false;
  return llvm::StringSwitch<bool>(RD->getName())
      .Cases("vector", "array", "basic_string", "deque", "list",
             "forward_list", true)
      .Cases("map", "multimap", "set", "multiset", "unordered_map",
             "unordered_set", true)
      .Case("valarray", true)
      .Default(false);
}

/// Whether \p RD is the C library's stream (`FILE`, whose fields are byte
/// buffers): logging to `stderr` writes no derivatives.
bool isStdioStream(const RecordDecl *RD) {
  if (!RD->getIdentifier() ||
      !RD->getASTContext().getSourceManager().isInSystemHeader(
          RD->getLocation()))
    return false;
  return llvm::StringSwitch<bool>(RD->getName())
      .Cases("_IO_FILE", "__sFILE", "_iobuf", true)
      .Default(false);
}

/// Whether a pointer to \p T may point to memory of any type.
bool isRawMemory(QualType T) {
  T = T.getCanonicalType();
  if (T->isVoidType() || T->isCharType())
    return true;
  const auto *Enum = T->getAs<EnumType>();
  return Enum && Enum->getDecl()->isInStdNamespace() &&
         Enum->getDecl()->getName() == "byte";
}

class TypeWalker {
public:
  bool isFree(QualType T) {
    T = T.getNonReferenceType().getCanonicalType();
    if (T->isDependentType())
      return false;
    if (T->isIntegralOrEnumerationType() || T->isVoidType() ||
        T->isNullPtrType() || T->isFunctionType())
      return true;
    if (T->isRealFloatingType() || T->isAnyComplexType() ||
        T->isVectorType())
      return false;
    // `void *` and byte pointers (`char *`, `unsigned char *`, `std::byte
    // *`) may point to anything: memcpy's arguments, raw memory cast back.
    if (const auto *PT = T->getAs<PointerType>())
      return !isRawMemory(PT->getPointeeType()) &&
             isFree(PT->getPointeeType());
    if (const auto *MPT = T->getAs<MemberPointerType>())
      return isFree(MPT->getPointeeType());
    if (const auto *AT = dyn_cast<ArrayType>(T.getTypePtr()))
      return isFree(AT->getElementType());
    if (const auto *RD = T->getAsCXXRecordDecl())
      return isFreeRecord(RD);
    if (const auto *R = T->getAs<RecordType>()) // a C struct
      return isFreeFields(R->getDecl());
    return false;
  }

  bool writes(QualType T) {
    bool Reference = T->isReferenceType();
    T = T.getNonReferenceType().getCanonicalType();
    if (T->isDependentType())
      return true;
    if (Reference)
      return (!T.isConstQualified() && !isFree(T)) || holdsWriter(T);
    return holdsWriter(T);
  }

private:
  bool isFreeRecord(const CXXRecordDecl *RD) {
    if (!RD->hasDefinition())
      return false;
    RD = RD->getDefinition();
    if (isStdioStream(RD))
      return true;
    if (!Seen.insert(RD).second)
      return true; // judged by its other members
    if (isOwningContainer(RD)) {
      if (isTensorRecord(RD))
        return false;
      if (const auto *Spec = dyn_cast<ClassTemplateSpecializationDecl>(RD))
        for (const TemplateArgument &Arg : Spec->getTemplateArgs().asArray())
          if (Arg.getKind() == TemplateArgument::Type &&
              !isFree(Arg.getAsType()))
            return false;
      return true;
    }
    for (const CXXBaseSpecifier &Base : RD->bases())
      if (!isFree(Base.getType()))
        return false;
    return isFreeFields(RD);
  }

  bool isFreeFields(const RecordDecl *RD) {
    for (const FieldDecl *F : RD->fields())
      if (!isFree(F->getType()))
        return false;
    return true;
  }

  /// Whether a value of type \p T (not a reference) holds a way to write
  /// memory that may carry derivatives.
  bool holdsWriter(QualType T) {
    T = T.getCanonicalType();
    if (const auto *PT = T->getAs<PointerType>()) {
      QualType Pointee = PT->getPointeeType();
      return (!Pointee.isConstQualified() &&
              (isRawMemory(Pointee) || !isFree(Pointee))) ||
             holdsWriter(Pointee);
    }
    if (const auto *AT = dyn_cast<ArrayType>(T.getTypePtr()))
      return holdsWriter(AT->getElementType());
    const auto *RD = T->getAsCXXRecordDecl();
    if (!RD)
      return false;
    if (!RD->hasDefinition())
      return true;
    RD = RD->getDefinition();
    if (!WriterSeen.insert(RD).second)
      return false;
    // A container's constness covers its elements, not what they point to.
    if (isOwningContainer(RD)) {
      if (const auto *Spec = dyn_cast<ClassTemplateSpecializationDecl>(RD))
        for (const TemplateArgument &Arg : Spec->getTemplateArgs().asArray())
          if (Arg.getKind() == TemplateArgument::Type &&
              holdsWriter(Arg.getAsType()))
            return true;
      return false;
    }
    for (const CXXBaseSpecifier &Base : RD->bases())
      if (holdsWriter(Base.getType()))
        return true;
    for (const FieldDecl *F : RD->fields()) {
      QualType FT = F->getType();
      if (FT->isReferenceType() ? writes(FT) : holdsWriter(FT))
        return true;
    }
    return false;
  }

  llvm::SmallPtrSet<const CXXRecordDecl *, 8> Seen, WriterSeen;
};

} // namespace

bool isDerivativeFree(QualType T) { return TypeWalker().isFree(T); }

bool mayWriteThrough(QualType T) { return TypeWalker().writes(T); }

bool mayWriteValuesThrough(QualType T) {
  if ((T->isPointerType() || T->isReferenceType()) &&
      !T->getPointeeType().isConstQualified())
    return true;
  return mayWriteThrough(T);
}

} // namespace adjoint
