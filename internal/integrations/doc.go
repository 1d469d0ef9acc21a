// Package integrations holds the tests of threatmap's CI and editor
// integrations: the GitHub composite action (action.yml), the pre-commit
// hooks (.pre-commit-hooks.yaml) and the GitLab CI example
// (examples/ci/gitlab-ci.yml). The tests read those files, substitute
// their inputs and run their command lines against a freshly built
// threatmap, so that what users copy is what is tested. It has no code of
// its own.
package integrations
