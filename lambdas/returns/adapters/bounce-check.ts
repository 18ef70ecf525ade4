import { type VerifierClient, VerifierError } from '../../verification/adapters/verifier-client';
import { classify, type VerificationPolicy } from '../../verification/domain/policy';
import { isHardBounce } from '../domain/returns';

/**
 * Asks the verifier afresh about one returned address: true when it is known to bounce hard. An unreachable
 * or refusing verifier is no answer (false): the return then waits for an admin, the member's request is not
 * failed for it.
 */
export const verifierBounceCheck =
  (verifier: () => Promise<VerifierClient>, policy: VerificationPolicy, budgetMs: number) =>
  async (email: string): Promise<boolean> => {
    const deadline = Date.now() + budgetMs;
    try {
      const answers = await (await verifier()).verifyBatch([email], {
        remainingMs: () => deadline - Date.now(),
      });
      const answer = answers.get(email);
      return (
        answer !== undefined &&
        isHardBounce(classify(answer, policy, { expectedEmail: email, isRecheck: true }))
      );
    } catch (error) {
      if (error instanceof VerifierError) return false;
      throw error;
    }
  };
